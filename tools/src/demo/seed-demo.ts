import { DEMO_CATALOG } from './demo-catalog.js';
import { countObservations, DEMO_RIDERS, DEMO_SEED, generateDemoHistory, type PriceObservationBody, type VerificationRequest } from './demo-history.js';

/**
 * Loads the demo through the public HTTP API, as an admin and as ten riders would: every event in
 * the log comes from a real command. Safe to run on every `npm start`:
 * - the catalog import appends nothing when the catalog is there;
 * - a price observation is idempotent per (part, retailer, UTC hour);
 * - a verification carries an Idempotency-Key derived from rider + pair.
 * When the import answers that nothing was new, the demo is already loaded: the price history
 * and the verifications are not sent again (seconds, not a minute), only each retailer's latest
 * observation, so a demo started again the next day still shows fresh prices. See
 * docs/demo-catalog.md.
 */

export interface SeedOptions {
  now: Date;
  log?: (line: string) => void;
  seed?: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

export interface SeedReport {
  /** What was new in the event log, per kind. */
  bikes: number;
  parts: number;
  retailers: number;
  fitment: number;
  prices: number;
  verifications: number;
  /** The highest global position any of the commands reported. */
  position: number;
  /** True when the catalog was already loaded, so history and verifications were not sent again. */
  skipped: boolean;
}

export const DEMO_ADMIN = { email: 'admin@demo.motopartpicker.local', displayName: 'Demo admin' };

const DEFAULT_CONCURRENCY = 8;
const TRANSIENT_ATTEMPTS = 6;
const RATE_LIMITED_ATTEMPTS = 30;
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** A 4xx other than 429: the demo data or the API is wrong, so retrying cannot help. */
export class DemoSeedRequestFailed extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: string,
  ) {
    super(`${method} ${path} answered ${status}: ${problem}`);
    this.name = 'DemoSeedRequestFailed';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isTransientNetworkError(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return error instanceof TypeError && cause?.code !== undefined && TRANSIENT_CODES.has(cause.code);
}

/** A signed-in browser, reduced to what the API needs: the cookies and the CSRF token. */
class ApiSession {
  private cookies = new Map<string, string>();
  private csrfToken = '';
  private toldAboutRateLimit = false;

  constructor(
    private readonly baseUrl: string,
    private readonly log: (line: string) => void,
  ) {}

  async signIn(email: string, displayName: string, role: 'user' | 'admin'): Promise<void> {
    const { body } = await this.post<{ id: string; csrfToken: string }>('/auth/dev-login', { email, displayName, role });
    this.csrfToken = body.csrfToken;
  }

  /** `replayed`: the API answered from its Idempotency-Key record without running the command. */
  async post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ body: T; replayed: boolean }> {
    let transientFailures = 0;
    let rateLimited = 0;
    for (;;) {
      let res: Response;
      try {
        res = await fetch(new URL(path, this.baseUrl), {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            ...(this.cookies.size > 0 ? { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
            ...(this.csrfToken ? { 'X-CSRF-Token': this.csrfToken } : {}),
            ...headers,
          },
          body: JSON.stringify(body),
        });
      } catch (error) {
        const transient = isTransientNetworkError(error);
        if (!transient || ++transientFailures >= TRANSIENT_ATTEMPTS) {
          const cause = (error as { cause?: { code?: string; message?: string } }).cause;
          const reason = cause?.code ?? cause?.message ?? (error as Error).message;
          throw new Error(`POST ${new URL(path, this.baseUrl).href} failed: ${reason}${transient ? ` (${TRANSIENT_ATTEMPTS} attempts)` : ''}`, { cause: error });
        }
        await sleep(100 * 2 ** transientFailures);
        continue;
      }
      this.keepCookies(res);
      if (res.ok) return { body: (await res.json()) as T, replayed: res.headers.get('idempotent-replayed') === 'true' };
      const text = await res.text();
      if (res.status === 429 && ++rateLimited < RATE_LIMITED_ATTEMPTS) {
        const waitSeconds = Math.min(60, Math.max(1, Number(res.headers.get('retry-after')) || 1));
        if (!this.toldAboutRateLimit) this.log(`rate limited on ${path}; waiting ${waitSeconds}s (raise RATE_LIMIT_PER_MINUTE / RATE_LIMIT_STRICT_PER_MINUTE to seed faster)`);
        this.toldAboutRateLimit = true;
        await sleep(waitSeconds * 1000);
        continue;
      }
      if (res.status === 503 && ++transientFailures < TRANSIENT_ATTEMPTS) {
        await sleep(100 * 2 ** transientFailures);
        continue;
      }
      throw new DemoSeedRequestFailed('POST', path, res.status, text);
    }
  }

  private keepCookies(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const pair = header.split(';', 1)[0];
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
}

/** Runs `work` over `items` with at most `limit` in flight; the first failure rejects. */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

interface CatalogImportAnswer {
  bikes: number;
  parts: number;
  retailers: number;
  fitment: number;
  position: number;
}

interface CommandAnswer {
  position: number;
}

export async function seedDemo(apiBaseUrl: string, options: SeedOptions): Promise<SeedReport> {
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  let position = 0;
  const seen = (answer: CommandAnswer) => {
    position = Math.max(position, Number(answer.position) || 0);
  };

  const admin = new ApiSession(apiBaseUrl, log);
  await admin.signIn(DEMO_ADMIN.email, DEMO_ADMIN.displayName, 'admin');

  log(`importing the demo catalog (${DEMO_CATALOG.bikes.length} models, ${DEMO_CATALOG.parts.length} parts, ${DEMO_CATALOG.retailers.length} retailers, ${DEMO_CATALOG.fitment.length} fitment rows)`);
  const { body: imported } = await admin.post<CatalogImportAnswer>('/api/admin/catalog/import', DEMO_CATALOG);
  seen(imported);
  log(`catalog: new bikes ${imported.bikes}, parts ${imported.parts}, retailers ${imported.retailers}, fitment ${imported.fitment} (${elapsed()})`);
  const alreadyLoaded = imported.bikes + imported.parts + imported.retailers + imported.fitment === 0;

  const history = generateDemoHistory(DEMO_CATALOG, { now: options.now, seed: options.seed ?? DEMO_SEED });

  // Within one series the observations go oldest first, so each is the newest its stream has seen.
  const series = alreadyLoaded ? history.prices.map((s) => ({ ...s, observations: s.observations.slice(-1) })) : history.prices;
  const toSend = countObservations(series);
  log(alreadyLoaded ? `demo already loaded: refreshing the latest price of ${series.length} part/retailer pairs` : `posting ${toSend} price observations for ${series.length} part/retailer pairs`);
  let prices = 0;
  let sent = 0;
  await forEachBounded(series, concurrency, async (s) => {
    for (const observation of s.observations) {
      const { body: answer } = await admin.post<CommandAnswer & { recorded: boolean }>('/api/admin/prices', observation satisfies PriceObservationBody);
      seen(answer);
      if (answer.recorded) prices += 1;
      sent += 1;
      if (sent % 500 === 0) log(`  prices ${sent}/${toSend} (${elapsed()})`);
    }
  });
  log(`prices: ${prices} recorded of ${toSend} sent (${elapsed()})`);

  let verifications = 0;
  if (alreadyLoaded) {
    log('verifications: skipped (the demo riders have already reported)');
  } else {
    verifications = await submitVerifications(apiBaseUrl, history.verifications, concurrency, log, seen);
    log(`verifications: ${verifications} recorded of ${history.verifications.length} sent (${elapsed()})`);
  }

  const report: SeedReport = {
    bikes: imported.bikes,
    parts: imported.parts,
    retailers: imported.retailers,
    fitment: imported.fitment,
    prices,
    verifications,
    position,
    skipped: alreadyLoaded,
  };
  log(`demo seeded in ${elapsed()}: ${JSON.stringify(report)}`);
  return report;
}

async function submitVerifications(
  apiBaseUrl: string,
  requests: readonly VerificationRequest[],
  concurrency: number,
  log: (line: string) => void,
  seen: (answer: CommandAnswer) => void,
): Promise<number> {
  const riders = new Map<string, ApiSession>();
  for (const rider of DEMO_RIDERS) {
    const session = new ApiSession(apiBaseUrl, log);
    await session.signIn(rider.email, rider.displayName, 'user');
    riders.set(rider.email, session);
  }
  log(`posting ${requests.length} verifications from ${riders.size} riders`);
  let recorded = 0;
  await forEachBounded(requests, concurrency, async (request) => {
    const session = riders.get(request.riderEmail);
    if (!session) throw new Error(`demo verification from an unknown rider ${request.riderEmail}`);
    const { body: answer, replayed } = await session.post<CommandAnswer & { eventId: string | null }>('/api/verifications', request.body, {
      'Idempotency-Key': request.idempotencyKey,
    });
    seen(answer);
    if (answer.eventId && !replayed) recorded += 1;
  });
  return recorded;
}
