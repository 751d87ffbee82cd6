import type pg from 'pg';
import type { EventToAppend } from '../event-store.port.js';

export interface EventsToInsert {
  stream: string;
  events: readonly EventToAppend[];
  firstRevision: bigint;
  firstPosition: bigint;
}

/**
 * Writes one append in one statement: the batch travels as a single JSON parameter, and positions and
 * revisions follow the batch order. `transaction_id` and `created_at` come from the database.
 */
export async function insertEvents(client: pg.PoolClient, batch: EventsToInsert): Promise<void> {
  const payload = batch.events.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata }));
  await client.query(
    `INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
     SELECT $1::bigint + e.ordinal - 1,
            $2,
            $3::bigint + e.ordinal - 1,
            (e.value ->> 'eventId')::uuid,
            e.value ->> 'type',
            e.value -> 'data',
            e.value -> 'metadata'
       FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e (value, ordinal)`,
    [batch.firstPosition.toString(), batch.stream, batch.firstRevision.toString(), JSON.stringify(payload)],
  );
}
