import type { Knex } from 'knex';
import type { RecordedEvent } from '../event-store.port.js';
import { dateToMicros, isoToMicros, type Micros } from './instants.js';

/**
 * The store's commit time of each event, to the microsecond. The port hands out a JS Date
 * (milliseconds); on PostgreSQL the `events` table has the full `created_at`, read as text so no
 * type parser rounds it. One query per page of events, by primary key. Elsewhere: the Date.
 */
export async function commitTimesOf(knex: Knex | undefined, events: readonly RecordedEvent[]): Promise<Micros[]> {
  if (!knex || events.length === 0) return events.map((event) => dateToMicros(event.createdAt));
  const { rows } = await knex.raw<{ rows: { position: string; recorded_at: string }[] }>(
    `SELECT position::text AS position,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at
       FROM events WHERE position = ANY(?::bigint[])`,
    [events.map((event) => event.position.toString())],
  );
  const byPosition = new Map(rows.map((row) => [row.position, isoToMicros(row.recorded_at)]));
  return events.map((event) => byPosition.get(event.position.toString()) ?? dateToMicros(event.createdAt));
}
