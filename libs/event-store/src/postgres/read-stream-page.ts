import type { Queryable } from './queryable.js';
import { appendsOf, appendsReaching, eventsOfAppend, recordedEventColumnsOf } from './schema.js';
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
  const from = query.fromRevision ?? (query.direction === 'forwards' ? 0n : BigInt('9223372036854775807'));
  const statement = STATEMENTS[query.direction === 'forwards' ? (from === 0n ? 'whole' : 'forwards') : 'backwards'];
  const { rows } = await db.query<EventRow>({ ...statement, values: [query.stream, from.toString(), query.limit] });
  return rows;
}

/** A page's statement: the appends `where` picks, their events in revision order (`ASC`) or its reverse. */
function pageStatement(name: string, where: string, order: 'ASC' | 'DESC'): { name: string; text: string } {
  return {
    name: `mpp-read-stream-${name}`,
    text: `SELECT ${recordedEventColumnsOf('e')} FROM events a ${eventsOfAppend}
            WHERE ${where} ORDER BY a.revision ${order}, e.position ${order} LIMIT $3`,
  };
}

const STATEMENTS = {
  // From the first revision (most reads: a command loading its stream), every append: no probe for the one holding `from`.
  whole: pageStatement('whole', `${appendsOf('$1', 'a')} AND e.revision >= $2::bigint`, 'ASC'),
  forwards: pageStatement('forwards', `${appendsReaching('$1', '$2::bigint')} AND e.revision >= $2::bigint`, 'ASC'),
  backwards: pageStatement('backwards', `${appendsOf('$1', 'a')} AND a.revision <= $2::bigint AND e.revision <= $2::bigint`, 'DESC'),
};
