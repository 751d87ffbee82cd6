import type { Queryable } from './queryable.js';
import { recordedEventColumns } from './schema.js';
import type { EventRow } from './event-row.js';
import { visibleToGapFreeReaders } from './gap-free-visibility.js';

/**
 * One page of the global log after an exclusive position, gap-free: only events whose transaction is
 * older than every appending transaction still running are returned (gap-free-visibility.ts). A
 * committed event that passes this test can never be preceded later by an event that commits
 * afterwards, because positions are reserved in transaction-id order (`event_store_reserve_positions`,
 * called by `mpp_append`). Walks the primary key.
 */
export async function readAllPage(db: Queryable, afterPosition: bigint, limit: number): Promise<EventRow[]> {
  // Named (prepared once per connection), like every fixed statement of the store: a live reader
  // sends it after every append.
  const { rows } = await db.query<EventRow>({
    name: 'mpp-read-all-page',
    text: `SELECT ${recordedEventColumns} FROM events
            WHERE position > $1::bigint
              AND ${visibleToGapFreeReaders}
            ORDER BY events.position ASC
            LIMIT $2`,
    values: [afterPosition.toString(), limit],
  });
  return rows;
}
