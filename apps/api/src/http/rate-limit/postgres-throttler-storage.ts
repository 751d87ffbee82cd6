import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Knex } from '@mpp/db';

const SWEEP_EVERY_MS = 60_000;
/** How often counts taken in memory are added to the shared table. */
export const SHARE_EVERY_MS = 250;
/** The throttler of the per-minute limit on every route, the one counted in memory; the strict one is always counted in the database. */
export const DEFAULT_THROTTLER = 'default';
/** A shared total older than this is not trusted for a decision in memory. */
const FRESH_MS = 1_000;
/** Strict keys whose client's per-minute key is remembered (a hash each way, bounded like the guard's key cache). */
const PAIRED_KEYS = 10_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One client's window as the shared table counted it. */
interface SharedWindow {
  key: string;
  ttl: number;
  window: number;
  hits: number;
  nowMs: number;
  msLeft: number;
}

/** What this process knows of one client's current window. */
interface LocalWindow {
  window: number;
  ttl: number;
  /** The window's total in the shared table when last read (every process's hits). */
  shared: number;
  sharedAt: number;
  /** Hits admitted here and not yet added to the shared table. */
  pending: number;
}

/**
 * The throttler's counters in PostgreSQL, so every API process counts against the same limit (the
 * library's default store is one Map per process). Fixed windows of `ttl` on the database clock.
 *
 * A round trip per request would make the cheapest answer (a cached catalog page) wait for the
 * database, so a hit is decided in memory while the client is clearly under its limit: its last
 * shared total plus what this process admitted since stays at or below half the limit. Those hits
 * are added to the shared table in one statement every SHARE_EVERY_MS. In the upper half of the
 * limit every hit is one upsert, so the limit itself is exact across processes; only how soon a
 * client reaches the upper half can lag by one sharing interval per process. The strict limits
 * are counted in the database on every hit.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastSweep = 0;
  private readonly windows = new Map<string, LocalWindow>();
  /** Database clock minus this process's clock, learnt from every statement. */
  private clockOffsetMs = 0;
  private sharing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  /** Strict key -> the same client's per-minute key (see pairWithDefault). */
  private readonly paired = new Map<string, string>();
  /** Upserts under way, by every key they count or read. */
  private readonly reading = new Map<string, Promise<unknown>>();

  constructor(private readonly knex: Knex) {
    this.timer = setInterval(() => void this.share(), SHARE_EVERY_MS);
    this.timer.unref();
  }

  async increment(key: string, ttl: number, limit: number, _blockDuration?: number, throttlerName = DEFAULT_THROTTLER): Promise<ThrottlerStorageRecord> {
    // Strict limits (sign-in, submissions) are small and count what matters: always exact.
    if (throttlerName !== DEFAULT_THROTTLER) return recordOf(await this.countShared(key, ttl), limit);
    const admitted = this.admitInMemory(key, ttl, limit);
    if (admitted) return admitted;
    // A burst from one client whose window is not known here (every reader behind one address when
    // the load starts) would otherwise be one upsert each on the same row, queued on its lock one
    // commit after another: the hits wait for the first upsert, then are decided on what it read.
    const reading = this.reading.get(key);
    if (reading) {
      await reading.catch(() => undefined);
      const afterRead = this.admitInMemory(key, ttl, limit);
      if (afterRead) return afterRead;
    }
    return recordOf(await this.countShared(key, ttl), limit);
  }

  /**
   * The decision without a round trip when it cannot be wrong about the limit; undefined when the
   * database must count (near the limit, or nothing fresh is known of this client's window).
   */
  admitInMemory(key: string, ttl: number, limit: number): ThrottlerStorageRecord | undefined {
    const now = Date.now() + this.clockOffsetMs;
    const window = Math.floor(now / ttl);
    const local = this.windows.get(key);
    if (!local) return undefined;
    if (local.window !== window) {
      // The old window's uncounted hits no longer matter; a new window starts at zero everywhere.
      Object.assign(local, { window, ttl, shared: 0, sharedAt: now, pending: 0 });
    }
    if (now - local.sharedAt > FRESH_MS || (local.shared + local.pending + 1) * 2 > limit) return undefined;
    local.pending += 1;
    return { totalHits: local.shared + local.pending, timeToExpire: Math.max(1, Math.ceil(((window + 1) * ttl - now) / 1000)), isBlocked: false, timeToBlockExpire: 0 };
  }

  /**
   * Names the per-minute key of the client a strict key counts. A strict hit is one upsert anyway;
   * the same statement then adds the client's per-minute hits held here and reads that window's
   * total, so the per-minute decision that follows it is made in memory: a submission waits for
   * one counting round trip, not two. (The guard checks the strict limit first for this.)
   */
  pairWithDefault(strictKey: string, defaultKey: string): void {
    if (this.paired.size >= PAIRED_KEYS) this.paired.clear();
    this.paired.set(strictKey, defaultKey);
  }

  /** Stops sharing and adds what is still counted only here; called when the API shuts down. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.share();
  }

  /** One hit counted in the shared table. */
  private async countShared(key: string, ttl: number): Promise<SharedWindow> {
    // The client's per-minute window rides along when this is a strict key (both limits count per minute).
    const companion = this.paired.get(key);
    const carry = [key, ...(companion === undefined ? [] : [companion])].map((name) => {
      const local = this.windows.get(name);
      const pending = local?.pending ?? 0;
      if (local) local.pending = 0;
      return { local, pending };
    });
    let rows: SharedWindow[];
    const read = this.upsert([{ key, ttl, hits: carry[0]!.pending + 1 }, ...(companion === undefined ? [] : [{ key: companion, ttl, hits: carry[1]!.pending }])]);
    const keys = companion === undefined ? [key] : [key, companion];
    for (const name of keys) this.reading.set(name, read);
    try {
      rows = await read;
    } catch (error) {
      for (const { local, pending } of carry) if (local) local.pending += pending;
      throw error;
    } finally {
      for (const name of keys) if (this.reading.get(name) === read) this.reading.delete(name);
    }
    for (const row of rows) this.learn(row);
    this.sweepNowAndThen();
    return rows.find((row) => row.key === key)!;
  }

  private learn(counted: SharedWindow): void {
    const local = this.windows.get(counted.key);
    if (local && local.window === counted.window) {
      local.shared = counted.hits;
      local.sharedAt = counted.nowMs;
    } else {
      this.windows.set(counted.key, { window: counted.window, ttl: counted.ttl, shared: counted.hits, sharedAt: counted.nowMs, pending: 0 });
    }
  }

  /** Adds every count held in memory to the shared table and learns each window's total. */
  private share(): Promise<void> {
    this.sharing ??= this.shareNow().finally(() => (this.sharing = undefined));
    return this.sharing;
  }

  private async shareNow(): Promise<void> {
    const now = Date.now() + this.clockOffsetMs;
    const batch: { key: string; ttl: number; hits: number }[] = [];
    for (const [key, local] of this.windows) {
      if (local.window < Math.floor(now / local.ttl)) this.windows.delete(key);
      else if (local.pending > 0) batch.push({ key, ttl: local.ttl, hits: local.pending });
    }
    if (batch.length === 0) return;
    for (const { key, hits } of batch) this.windows.get(key)!.pending -= hits;
    try {
      for (const counted of await this.upsert(batch)) this.learn(counted);
    } catch (error) {
      for (const { key, hits } of batch) {
        const local = this.windows.get(key);
        if (local) local.pending += hits;
      }
      this.logger.warn({ err: error }, 'sharing rate-limit counts failed; retrying');
    }
  }

  /**
   * One statement for any number of windows: adds the hits and returns each window's total, on the
   * database clock. Its commit waits for no WAL flush (`synchronous_commit` off for this statement's
   * transaction alone): a database crash can only lose the last few counts of a minute's window,
   * while a flush wait here was a second one on every submission beside its append's.
   */
  private async upsert(batch: { key: string; ttl: number; hits: number }[]): Promise<SharedWindow[]> {
    const before = Date.now();
    const { rows } = await this.knex.raw<{ rows: { key: string; window_number: string; hits: number; now_ms: string }[] }>(
      `WITH clock AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms, set_config('synchronous_commit', 'off', true) AS asynchronous)
       INSERT INTO rate_limit_windows AS w (key, window_number, hits, expires_at)
       SELECT c.key, now_ms / c.ttl, c.hits, to_timestamp(((now_ms / c.ttl + 1) * c.ttl) / 1000.0)
         FROM jsonb_to_recordset(?::jsonb) AS c(key text, ttl bigint, hits int), clock
       ON CONFLICT (key, window_number) DO UPDATE SET hits = w.hits + excluded.hits
       RETURNING key, window_number, hits, (SELECT now_ms FROM clock) AS now_ms`,
      [JSON.stringify(batch)],
    );
    const after = Date.now();
    const ttls = new Map(batch.map((b) => [b.key, b.ttl]));
    return rows.map((row) => {
      const nowMs = Number(row.now_ms);
      this.clockOffsetMs = nowMs - Math.round((before + after) / 2);
      const ttl = ttls.get(row.key)!;
      const window = Number(row.window_number);
      return { key: row.key, ttl, window, hits: row.hits, nowMs, msLeft: (window + 1) * ttl - nowMs };
    });
  }

  /** Past windows are dead rows; any process removes them about once a minute, off the request path. */
  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.knex
      .raw('DELETE FROM rate_limit_windows WHERE expires_at < now()')
      .catch((error: unknown) => this.logger.warn({ err: error }, 'sweeping past rate-limit windows failed; retrying in a minute'));
  }
}

function recordOf(counted: SharedWindow, limit: number): ThrottlerStorageRecord {
  const secondsLeft = Math.max(1, Math.ceil(counted.msLeft / 1000));
  const isBlocked = counted.hits > limit;
  return { totalHits: counted.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
}
