import type { Queryable } from './queryable.js';
import { appendsReaching, eventsOfAppend, recordedEventColumnsOf } from './schema.js';
import type { EventRow } from './event-row.js';

export interface StreamPageQuery {
  stream: string;
  direction: 'forwards' | 'backwards';
  /** Inclusive; omitted: the first (forwards) or last (backwards) event. */
  fromRevision?: bigint;
  limit: number;
}

/**
 * One page of a stream in revision order, through the stream's appends (schema.ts): forwards, the
 * appends from the one holding `fromRevision`; backwards, those starting at or before it. A stream
 * needs no transaction-id filter: its appends are serialised, so its revisions commit in order.
 */
export async function readStreamPage(db: Queryable, query: StreamPageQuery): Promise<EventRow[]> {
  const forwards = query.direction === 'forwards';
  const sql = forwards
    ? `SELECT ${recordedEventColumnsOf('e')} FROM events a ${eventsOfAppend}
        WHERE ${appendsReaching('$1', '$2::bigint')} AND e.revision >= $2::bigint
        ORDER BY a.revision ASC, e.position ASC LIMIT $3`
    : `SELECT ${recordedEventColumnsOf('e')} FROM events a ${eventsOfAppend}
        WHERE a.stream_id = $1 AND a.append_size > 0 AND a.revision <= $2::bigint AND e.revision <= $2::bigint
        ORDER BY a.revision DESC, e.position DESC LIMIT $3`;
  const from = query.fromRevision ?? (forwards ? 0n : BigInt('9223372036854775807'));
  const { rows } = await db.query<EventRow>({ name: `mpp-read-stream-${query.direction}`, text: sql, values: [query.stream, from.toString(), query.limit] });
  return rows;
}
