import { send, type HttpAnswer, type SendOptions } from './http-client.js';

export interface FailoverAnswer {
  answer: HttpAnswer;
  /** Which API answered (index into the base URLs). */
  api: number;
  /** Requests that got no answer (refused or reset) before this one, each retried on the next API. */
  connectionErrors: number;
  /** Tries abandoned after the per-request hang bound, each retried on the next API. */
  timeouts: number;
  /** Repeats of a command whose first try died with its API and still held its idempotency claim. */
  claimWaits: number;
}

/** Past this the claim of a command whose API died is taken over (IDEMPOTENCY_CLAIM_LEASE_MS) with margin. */
const GIVE_UP_AFTER_MS = 60_000;
/** One try's hang bound, as a proxy's read timeout: longer than any answer of a healthy process. */
const TRY_TIMEOUT_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client behind a load balancer of several API processes, as nginx's `proxy_next_upstream error`
 * behaves: a request that gets no answer (connection refused or reset: its process is down or was
 * killed mid-request) goes to the next API. A command repeated that way carries its Idempotency-Key,
 * so a first try that did commit answers with its stored response, and one whose claim is still held
 * by the dead process ("still being processed", 409) is repeated until the claim's lease lets it
 * through. A try that gets no answer within 20 s is abandoned and sent to the next API too (a read
 * is safe to repeat, a command carries its key). Bounded: gives up (throws) after 60 s.
 */
export async function sendWithFailover(baseUrls: readonly string[], first: number, options: SendOptions): Promise<FailoverAnswer> {
  const deadline = Date.now() + GIVE_UP_AFTER_MS;
  let api = first;
  let connectionErrors = 0;
  let timeouts = 0;
  let claimWaits = 0;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${options.method ?? 'GET'} ${options.path}: no answer within ${GIVE_UP_AFTER_MS} ms (${connectionErrors} connection errors, ${timeouts} timeouts)`);
    let answer: HttpAnswer;
    try {
      answer = await send(baseUrls[api]!, { timeoutMs: TRY_TIMEOUT_MS, ...options });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') timeouts += 1;
      else connectionErrors += 1;
      api = (api + 1) % baseUrls.length;
      // Every API refused: one is restarting and the other is not there either; wait a little.
      if (connectionErrors % baseUrls.length === 0) await sleep(100);
      continue;
    }
    if (answer.status === 409 && /still being processed/.test(answer.text) && connectionErrors + timeouts > 0) {
      claimWaits += 1;
      await sleep(500);
      continue;
    }
    return { answer, api, connectionErrors, timeouts, claimWaits };
  }
}
