import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';

const metadata = { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1, occurredAt: '2026-12-03T09:00:00.000Z' };

describe('the events table is append-only', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url, applicationName: 'append-only-test' });
    await store.appendToStream('bike-append-only', [{ eventId: '0b8f6c1e-3d4a-4f5b-8c7d-9e0f1a2b3c4d', type: 'Noted', data: { n: 1 }, metadata }], { expectedRevision: 'no_stream' });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it.each([
    ['UPDATE', `UPDATE events SET data = '{"n":2}'`],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('refuses %s, even one that matches no row', async (operation, sql) => {
    await expect(db.knex.raw(sql)).rejects.toThrow(`the event log is append-only: ${operation} on events is refused`);
    await expect(db.knex.raw(`${sql.startsWith('TRUNCATE') ? sql : `${sql} WHERE false`}`)).rejects.toThrow(/append-only/);
  });

  it('still appends, and the event is unchanged', async () => {
    await store.appendToStream('bike-append-only', [{ eventId: '1c9a7d2f-4e5b-4a6c-9d8e-0f1a2b3c4d5e', type: 'Noted', data: { n: 3 }, metadata }], { expectedRevision: 0n });
    const rows = await db.knex('events').where({ stream_id: 'bike-append-only' }).orderBy('revision').pluck('data');
    expect(rows).toEqual([{ n: 1 }, { n: 3 }]);
  });
});
