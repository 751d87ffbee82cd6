import { send, type HttpAnswer, type SendOptions } from './http-client.js';

export interface FailoverAnswer {
  answer: HttpAnswer;
  /** Which API answered (index into the base URLs). */
  api: number;
  /** Requests that got no answer (refused or reset) before this one, each retried on the next API. */
  connectionErrors: number;
  /** Repeats of a command whose first try died with its API and still held its idempotency claim. */
  claimWaits: number;
}

/** Past this the claim of a command whose API died is taken over (IDEMPOTENCY_CLAIM_LEASE_MS) with margin. */
const GIVE_UP_AFTER_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client behind a load balancer of several API processes, as nginx's `proxy_next_upstream error`
 * behaves: a request that gets no answer (connection refused or reset: its process is down or was
 * killed mid-request) goes to the next API. A command repeated that way carries its Idempotency-Key,
 * so a first try that did commit answers with its stored response, and one whose claim is still held
 * by the dead process ("still being processed", 409) is repeated until the claim's lease lets it
 * through. Bounded: gives up (throws) after 30 s.
 */
export async function sendWithFailover(baseUrls: readonly string[], first: number, options: SendOptions): Promise<FailoverAnswer> {
  const deadline = Date.now() + GIVE_UP_AFTER_MS;
  let api = first;
  let connectionErrors = 0;
  let claimWaits = 0;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${options.method ?? 'GET'} ${options.path}: no answer within ${GIVE_UP_AFTER_MS} ms (${connectionErrors} connection errors)`);
    let answer: HttpAnswer;
    try {
      answer = await send(baseUrls[api]!, { timeoutMs: 15_000, ...options });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw error;
      connectionErrors += 1;
      api = (api + 1) % baseUrls.length;
      // Every API refused: one is restarting and the other is not there either; wait a little.
      if (connectionErrors % baseUrls.length === 0) await sleep(100);
      continue;
    }
    if (answer.status === 409 && /still being processed/.test(answer.text) && connectionErrors > 0) {
      claimWaits += 1;
      await sleep(500);
      continue;
    }
    return { answer, api, connectionErrors, claimWaits };
  }
}
