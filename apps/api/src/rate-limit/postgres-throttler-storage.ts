import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Knex } from '@mpp/db';

const SWEEP_EVERY_MS = 60_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface WindowRow {
  hits: number;
  ms_left: string;
}

/**
 * The throttler's counters in PostgreSQL, so every API process counts against the same limit (the
 * library's default store is one Map per process). Fixed windows of `ttl` on the database clock:
 * one upsert per request returns the window's hits and how long it has left.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastSweep = 0;

  constructor(private readonly knex: Knex) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const { rows } = await this.knex.raw<{ rows: WindowRow[] }>(
      `WITH clock AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms)
       INSERT INTO rate_limit_windows AS w (key, window_number, hits, expires_at)
       SELECT ?, now_ms / ?, 1, to_timestamp(((now_ms / ? + 1) * ?) / 1000.0) FROM clock
       ON CONFLICT (key, window_number) DO UPDATE SET hits = w.hits + 1
       RETURNING hits, ((window_number + 1) * ? - (SELECT now_ms FROM clock)) AS ms_left`,
      [key, ttl, ttl, ttl, ttl],
    );
    this.sweepNowAndThen();
    const { hits, ms_left } = rows[0]!;
    const secondsLeft = Math.max(1, Math.ceil(Number(ms_left) / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
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
