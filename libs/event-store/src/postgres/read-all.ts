import type pg from 'pg';
import type { ReadAllOptions, RecordedEvent } from '../event-store.port.js';
import type { UpcasterRegistry } from '../upcasters.js';
import { translated } from './connection-errors.js';
import { toRecordedEvent } from './event-row.js';
import { readAllPage } from './read-all-page.js';

/** The global log page by page (keyset on position), so a replay of millions of events streams. */
export async function* readAll(
  pool: pg.Pool,
  upcasters: UpcasterRegistry,
  pageSize: number,
  { fromPosition = 0n, includeFromPosition = false, maxCount = Number.POSITIVE_INFINITY }: ReadAllOptions = {},
): AsyncGenerator<RecordedEvent, void, undefined> {
  let remaining = maxCount;
  // Positions here are integers, so the one before is an exclusive bound that takes the event at it.
  let after = includeFromPosition && fromPosition > 0n ? fromPosition - 1n : fromPosition;
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining);
    const rows = await translated(() => readAllPage(pool, after, limit));
    for (const row of rows) yield upcasters.upcast(toRecordedEvent(row));
    if (rows.length < limit) return;
    remaining -= rows.length;
    after = BigInt(rows[rows.length - 1]!.position);
  }
}
