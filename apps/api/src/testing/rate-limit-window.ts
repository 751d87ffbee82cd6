import type { Knex } from '@mpp/db';
import { RATE_LIMIT_WINDOW_MS } from '../http/rate-limit/rate-limit.module.js';

/**
 * Waits until the database clock (the one the rate limits' fixed windows are cut on) is at least
 * `marginMs` before the end of the current window, so a test's few requests all count in one window:
 * requests that straddle its end start counting afresh, and a limit the test expects never comes.
 * `windowMs` is for a test that counts with a window of its own (the storage's tests); the API's
 * limits all count per RATE_LIMIT_WINDOW_MS.
 */
export async function awayFromRateLimitWindowEnd(knex: Knex, marginMs = 10_000, windowMs = RATE_LIMIT_WINDOW_MS): Promise<void> {
  const { rows } = await knex.raw<{ rows: { elapsed: string }[] }>(
    `SELECT (floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint % ?)::text AS elapsed`,
    [windowMs],
  );
  const left = windowMs - Number(rows[0]!.elapsed);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
