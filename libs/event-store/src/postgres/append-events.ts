import type { AppendResult, EventToAppend, ExpectedRevision } from '../event-store.port.js';
import type { Queryable } from './queryable.js';

/**
 * The whole append in one call of `mpp_append` (migration 0013): stream lock, idempotency by event
 * id, expected revision, gap-free position reservation and insert, on the server. On a pool it is
 * one statement in its own transaction, so one round trip. Refusals come back as SQLSTATE `MP001`
 * (wrong expected revision) and `MP002` (ids stored by another append); append-to-stream.ts types them.
 */
export async function appendEvents(
  db: Queryable,
  stream: string,
  events: readonly EventToAppend[],
  expectedRevision: ExpectedRevision,
  /** Look the ids up before writing; without it the unique index on event_id catches a stored one (23505). */
  checkStored: boolean,
): Promise<AppendResult> {
  const payload = events.map(({ type, data, metadata }) => ({ type, data, metadata }));
  // Named, so each connection parses and plans it once rather than on every append.
  const { rows } = await db.query<{ next_revision: string; last_position: string }>({
    name: 'mpp-append',
    text: `SELECT next_revision::text AS next_revision, last_position::text AS last_position
             FROM mpp_append($1, $2, $3::uuid[], $4::jsonb, $5)`,
    values: [stream, String(expectedRevision), events.map((event) => event.eventId), JSON.stringify(payload), checkStored],
  });
  const row = rows[0]!;
  return { nextRevision: BigInt(row.next_revision), position: BigInt(row.last_position) };
}
