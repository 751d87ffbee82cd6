import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { PROJECTION_PROGRESS_CHANNEL, parseProjectionProgress, type ProjectionProgress } from './notify-progress.js';
import { defineProjection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

const seen = defineProjection({
  name: 'notice-seen',
  version: 1,
  tables: ['notice_seen'],
  onPoisonEvent: 'park',
  async createTables(knex, schema) {
    await knex.schema.withSchema(schema).createTable('notice_seen', (t) => {
      t.text('stream_id').primary();
    });
  },
  handlers: {
    Seen: async (event, ctx) => {
      await ctx.table('notice_seen').insert({ stream_id: event.streamId }).onConflict('stream_id').ignore();
    },
  },
});

describe('commit notices', () => {
  let db: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;
  let listener: pg.Client;
  const notices: { progress: ProjectionProgress; rowsVisible: number }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
    listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (message) => {
      const progress = parseProjectionProgress(message.payload);
      if (progress?.projection !== seen.name) return;
      // What a reader sees the moment the notice arrives.
      void db.knex('notice_seen').count<{ n: string }[]>({ n: '*' }).then(([row]) => notices.push({ progress, rowsVisible: Number(row!.n) }));
    });
    await listener.query(`LISTEN ${PROJECTION_PROGRESS_CHANNEL}`);
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [seen] });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await listener.end();
    await store.close();
    await db.drop();
  });

  it('announces each committed batch with its checkpoint, after its rows are readable', async () => {
    const { position } = await store.appendToStream(`seen-${randomUUID()}`, [{ eventId: randomUUID(), type: 'Seen', data: {}, metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() } }], { expectedRevision: 'no_stream' });
    const deadline = Date.now() + 10_000;
    while (!notices.some((n) => BigInt(n.progress.position) >= position) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const notice = notices.find((n) => BigInt(n.progress.position) >= position);
    expect(notice).toMatchObject({ progress: { projection: seen.name, generation: 1 }, rowsVisible: 1 });
  });

  it('says whether a batch changed the projection, so answers read from it stay cached through other events', async () => {
    const append = (type: string) =>
      store.appendToStream(`seen-${randomUUID()}`, [{ eventId: randomUUID(), type, data: {}, metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() } }], { expectedRevision: 'no_stream' });
    const noticeAt = async (position: bigint) => {
      const deadline = Date.now() + 10_000;
      while (!notices.some((n) => BigInt(n.progress.position) >= position) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return notices.find((n) => BigInt(n.progress.position) >= position)?.progress;
    };
    const other = await append('SomethingElse');
    expect(await noticeAt(other.position)).toMatchObject({ changed: false });
    const own = await append('Seen');
    expect((await noticeAt(own.position))?.changed).toBeUndefined();
  });

  it('reads nothing but its own payloads', () => {
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":"12"}')).toEqual({ projection: 'x', generation: 1, position: '12' });
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":12}')).toBeUndefined();
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":"12","changed":false}')).toEqual({ projection: 'x', generation: 1, position: '12', changed: false });
    expect(parseProjectionProgress('not json')).toBeUndefined();
    expect(parseProjectionProgress(undefined)).toBeUndefined();
  });
});
