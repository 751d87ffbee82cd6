import type { Queryable } from './queryable.js';
import { recordedEventColumns } from './schema.js';
import type { EventRow } from './event-row.js';

/**
 * One page of the global log after an exclusive position, gap-free: only events whose transaction is
 * older than every transaction still running (`pg_snapshot_xmin`) are returned. A committed event
 * that passes this test can never be preceded later by an event that commits afterwards, because
 * positions are reserved in transaction-id order (`event_store_reserve_positions`, called by `mpp_append`). Walks the primary key.
 */
export async function readAllPage(db: Queryable, afterPosition: bigint, limit: number): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${recordedEventColumns} FROM events
      WHERE position > $1::bigint
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.position ASC
      LIMIT $2`,
    [afterPosition.toString(), limit],
  );
  return rows;
}
