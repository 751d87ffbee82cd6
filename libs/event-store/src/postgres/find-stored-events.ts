import type { Queryable } from './queryable.js';

export interface StoredEventRef {
  eventId: string;
  streamId: string;
  revision: bigint;
  position: bigint;
}

interface Row {
  event_id: string;
  stream_id: string;
  revision: string;
  position: string;
}

/** Which of these event ids are already stored, and where; the idempotency check of an append. */
export async function findStoredEvents(db: Queryable, eventIds: readonly string[]): Promise<StoredEventRef[]> {
  const { rows } = await db.query<Row>(
    `SELECT event_id::text AS event_id, stream_id, revision::text AS revision, position::text AS position
       FROM events
      WHERE event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
  }));
}
