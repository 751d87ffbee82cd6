/**
 * Columns of `events` as a RecordedEvent needs them; bigints as text so no global type parser can
 * round them. The aliases shadow the columns in ORDER BY, so queries order by `events.<column>`.
 */
export const recordedEventColumns =
  'position::text AS position, stream_id, revision::text AS revision, event_id::text AS event_id, type, data, metadata, created_at';
