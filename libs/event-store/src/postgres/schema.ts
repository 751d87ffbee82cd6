/**
 * Names the adapter shares with the migration `migrations/src/0002-event-store.ts`. The migration
 * spells them as literals (history must not move with code); keep the two in step.
 */
export const appendedChannel = 'event_store_appended';

/**
 * Class id of the transaction-level advisory locks that serialise appends to one stream (object id:
 * `hashtext(stream_id)`). The two-key form keeps them out of the one-bigint key space other modules
 * use for their own advisory locks. Two streams whose names hash alike merely wait for each other.
 */
export const streamLockClass = 1297109075;

/**
 * Columns of `events` as a RecordedEvent needs them; bigints as text so no global type parser can
 * round them. The aliases shadow the columns in ORDER BY, so queries order by `events.<column>`.
 */
export const recordedEventColumns =
  'position::text AS position, stream_id, revision::text AS revision, event_id::text AS event_id, type, data, metadata, created_at';
