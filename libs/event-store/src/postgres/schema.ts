/**
 * Columns of `events` (as `table`) as a RecordedEvent needs them; bigints as text so no global type
 * parser can round them. The aliases shadow the columns in ORDER BY, so queries order by
 * `<table>.<column>`.
 */
export function recordedEventColumnsOf(table: string): string {
  return `${table}.position::text AS position, ${table}.stream_id, ${table}.revision::text AS revision,
          ${table}.event_id::text AS event_id, ${table}.type, ${table}.data, ${table}.metadata, ${table}.created_at`;
}

export const recordedEventColumns = recordedEventColumnsOf('events');

/*
 * A stream's events are found through its appends (migration 0036): the stream index holds only each
 * append's first event `a`, with the append's length; the append's events are the positions
 * `a.position` to `a.position + a.append_size - 1`, consecutive because an append reserves one block,
 * and their revisions follow `a.revision` in the same order. So ordering by (a.revision, e.position)
 * is revision order, and lets PostgreSQL sort only within one append.
 */

/**
 * Joins an append's events, as `e`, to its first event `a`: a range scan of the primary key for each
 * append. As a plain join, PostgreSQL cannot estimate the range, and for a long stream read from a
 * late revision it chose to scan the whole log; `OFFSET 0` keeps the subquery from being flattened
 * into such a join, so it stays one probe per append.
 */
export const eventsOfAppend =
  'CROSS JOIN LATERAL (SELECT * FROM events x WHERE x.position >= a.position AND x.position < a.position + a.append_size OFFSET 0) e';

/** What puts an event in the stream index: it is the first of its append. Unqualified, for a query of `events` alone. */
export const STARTS_AN_APPEND = 'append_size > 0';

/** Condition on `alias` for the first events of stream `stream`'s appends: the stream index's entries for it. */
export function appendsOf(stream: string, alias: string): string {
  return `${alias}.stream_id = ${stream} AND ${alias}.${STARTS_AN_APPEND}`;
}

/**
 * Condition on `a` for the appends of stream `stream` holding revision `from` or later: from the
 * last append that starts at or before `from` (one backward probe of the stream index) on.
 */
export function appendsReaching(stream: string, from: string): string {
  return `${appendsOf(stream, 'a')}
      AND a.revision >= coalesce((SELECT max(s.revision) FROM events s WHERE ${appendsOf(stream, 's')} AND s.revision <= ${from}), 0)`;
}
