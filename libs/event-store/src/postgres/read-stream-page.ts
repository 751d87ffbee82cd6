import type { Queryable } from './queryable.js';
import { recordedEventColumns } from './schema.js';
import type { EventRow } from './event-row.js';

export interface StreamPageQuery {
  stream: string;
  direction: 'forwards' | 'backwards';
  /** Inclusive; omitted: the first (forwards) or last (backwards) event. */
  fromRevision?: bigint;
  limit: number;
}

/**
 * One page of a stream in revision order, keyed on the unique (stream_id, revision) index. A stream
 * needs no transaction-id filter: its appends are serialised, so its revisions commit in order.
 */
export async function readStreamPage(db: Queryable, query: StreamPageQuery): Promise<EventRow[]> {
  const forwards = query.direction === 'forwards';
  const sql = forwards
    ? `SELECT ${recordedEventColumns} FROM events
        WHERE stream_id = $1 AND revision >= $2::bigint ORDER BY events.revision ASC LIMIT $3`
    : `SELECT ${recordedEventColumns} FROM events
        WHERE stream_id = $1 AND revision <= $2::bigint ORDER BY events.revision DESC LIMIT $3`;
  const from = query.fromRevision ?? (forwards ? 0n : BigInt('9223372036854775807'));
  const { rows } = await db.query<EventRow>({ name: `mpp-read-stream-${query.direction}`, text: sql, values: [query.stream, from.toString(), query.limit] });
  return rows;
}
