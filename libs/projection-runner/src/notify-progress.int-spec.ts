import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { MAX_NOTICE_KEYS, PROJECTION_PROGRESS_CHANNEL, parseProjectionProgress, type ProjectionProgress } from './notify-progress.js';
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

/** A projection with per-key versions, as the read path's projections keep them (projections/src/shared/key-versions.ts). */
const keyed = defineProjection({
  name: 'notice-keyed',
  version: 1,
  tables: ['notice_keyed_versions'],
  keyVersions: 'notice_keyed_versions',
  onPoisonEvent: 'park',
  async createTables(knex, schema) {
    await knex.schema.withSchema(schema).createTable('notice_keyed_versions', (t) => {
      t.text('key').primary();
      t.bigInteger('position').notNullable();
      t.index(['position']);
    });
  },
  handlers: {
    Keyed: async (event, ctx) => {
      await ctx
        .table('notice_keyed_versions')
        .insert({ key: (event.data as { key: string }).key, position: event.position.toString() })
        .onConflict('key')
        .merge();
    },
  },
});

describe('commit notices', () => {
  let db: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;
  let listener: pg.Client;
  const notices: { progress: ProjectionProgress; rowsVisible: number }[] = [];
  const keyedNotices: ProjectionProgress[] = [];
  const metadata = () => ({ correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() });
  const appendKeyed = (keys: string[]) =>
    store.appendToStream(`keyed-${randomUUID()}`, keys.map((key) => ({ eventId: randomUUID(), type: 'Keyed', data: { key }, metadata: metadata() })), { expectedRevision: 'no_stream' });
  const keyedNoticeAt = async (position: bigint) => {
    const deadline = Date.now() + 10_000;
    while (!keyedNotices.some((n) => BigInt(n.position) >= position) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return keyedNotices.find((n) => BigInt(n.position) >= position);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
    listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (message) => {
      const progress = parseProjectionProgress(message.payload);
      if (progress?.projection === keyed.name) keyedNotices.push(progress);
      if (progress?.projection !== seen.name) return;
      // What a reader sees the moment the notice arrives.
      void db.knex('notice_seen').count<{ n: string }[]>({ n: '*' }).then(([row]) => notices.push({ progress, rowsVisible: Number(row!.n) }));
    });
    await listener.query(`LISTEN ${PROJECTION_PROGRESS_CHANNEL}`);
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [seen, keyed] });
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

  it("names the keys a live batch moved after the checkpoint it started from, read in the batch's own transaction", async () => {
    const first = await appendKeyed(['bike:a', 'part:b']);
    const notice = await keyedNoticeAt(first.position);
    expect(notice?.position).toBe(first.position.toString());
    expect([...(notice?.keys ?? [])].sort()).toEqual(['bike:a', 'part:b']);
    // The next batch names only what it moved, and starts where the first ended.
    const second = await appendKeyed(['part:b', 'part:c']);
    const next = await keyedNoticeAt(second.position);
    expect(next?.from).toBe(first.position.toString());
    expect([...(next?.keys ?? [])].sort()).toEqual(['part:b', 'part:c']);
  });

  it('names no keys when more moved than a notice may hold, so the reader reads them', async () => {
    const many = Array.from({ length: MAX_NOTICE_KEYS + 1 }, (_, i) => `part:${i}-${randomUUID()}`);
    const { position } = await appendKeyed(many);
    const notice = await keyedNoticeAt(position);
    expect(notice).toBeDefined();
    expect(notice?.position).toBe(position.toString());
    expect(notice?.keys).toBeUndefined();
  });

  it('announces a batch without the projection\'s events from the checkpoint statement alone, and moves the checkpoint', async () => {
    const { position } = await appendKeyed(['bike:only-keyed']);
    const deadline = Date.now() + 10_000;
    while (!notices.some((n) => BigInt(n.progress.position) >= position) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(notices.find((n) => BigInt(n.progress.position) >= position)?.progress).toMatchObject({ projection: seen.name, changed: false });
    const row = await db.knex('projection_checkpoints').where({ projection: seen.name, state: 'active' }).first('position', 'error');
    expect(BigInt(row.position)).toBeGreaterThanOrEqual(position);
    expect(row.error).toBeNull();
  });

  it('reads nothing but its own payloads', () => {
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":"12"}')).toEqual({ projection: 'x', generation: 1, position: '12' });
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":12}')).toBeUndefined();
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":"12","changed":false}')).toEqual({ projection: 'x', generation: 1, position: '12', changed: false });
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":"12","from":"10","keys":["bike:1"]}')).toEqual({ projection: 'x', generation: 1, position: '12', from: '10', keys: ['bike:1'] });
    // Keys without the position they start after (or not all text) are as good as none.
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":"12","keys":["bike:1"]}')).toEqual({ projection: 'x', generation: 1, position: '12' });
    expect(parseProjectionProgress('{"projection":"x","generation":1,"position":"12","from":"10","keys":[1]}')).toEqual({ projection: 'x', generation: 1, position: '12' });
    expect(parseProjectionProgress('not json')).toBeUndefined();
    expect(parseProjectionProgress(undefined)).toBeUndefined();
  });
});
