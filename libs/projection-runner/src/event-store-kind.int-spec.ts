import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { listGenerations } from './checkpoints.js';
import { alignCheckpointsWithEventStore } from './event-store-kind.js';
import { defineProjection } from './projection.js';
import { ProjectionRunner, type RunnerLogger } from './projection-runner.js';
import { projectionStatuses } from './projection-status.js';
import { waitForPosition } from './wait-for-position.js';

const tally = defineProjection({
  name: 'store_tally',
  version: 1,
  tables: ['store_tally_counts'],
  onPoisonEvent: 'stop',
  async createTables(knex, schema) {
    await knex.schema.withSchema(schema).createTable('store_tally_counts', (t) => {
      t.text('stream_id').primary();
      t.integer('n').notNullable();
    });
  },
  handlers: {
    Counted: async (event, ctx) => {
      await ctx.trx.raw(
        `INSERT INTO ${ctx.qualified('store_tally_counts')} (stream_id, n) VALUES (?, 1)
         ON CONFLICT (stream_id) DO UPDATE SET n = ${ctx.qualified('store_tally_counts')}.n + 1`,
        [event.streamId],
      );
    },
  },
});

const counted = () => ({
  eventId: randomUUID(),
  type: 'Counted',
  data: {},
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() },
});

describe('projection checkpoints and the event store kind', () => {
  let db: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner | undefined;
  const warnings: string[] = [];
  const logger: RunnerLogger = { log: () => undefined, warn: (message) => warnings.push(message), error: () => undefined };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const recordedKind = async () => (await db.knex('projection_event_store').first<{ kind: string } | undefined>('kind'))?.kind;
  const counts = async () =>
    Object.fromEntries(((await db.knex('store_tally_counts').select('stream_id', 'n')) as { stream_id: string; n: number }[]).map((r) => [r.stream_id, r.n]));

  it('records the kind on the first start and leaves it alone while it stays the same', async () => {
    expect(await recordedKind()).toBeUndefined();
    expect(await alignCheckpointsWithEventStore(db.knex, 'postgres', (message) => warnings.push(message))).toBe('recorded');
    expect(await alignCheckpointsWithEventStore(db.knex, 'postgres', (message) => warnings.push(message))).toBe('unchanged');
    expect(await recordedKind()).toBe('postgres');
    expect(warnings).toEqual([]);
  });

  it('rebuilds every projection from position 0 into a new generation when the store kind changed, and says so', async () => {
    const first = await store.appendToStream('tally-a', [counted(), counted(), counted()], { expectedRevision: 'any' });
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally], logger });
    await runner.start();
    expect(await waitForPosition(db.knex, ['store_tally'], first.position, 10_000)).toBe(true);
    await runner.stop();
    const [built] = await listGenerations(db.knex, 'store_tally');
    expect(built).toMatchObject({ generation: 1, state: 'active', position: first.position });

    // The checkpoints were written while the deployment ran on the other store.
    await db.knex('projection_event_store').update({ kind: 'eventstoredb' });
    const second = await store.appendToStream('tally-b', [counted(), counted()], { expectedRevision: 'any' });
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally], logger });
    await runner.start();
    expect(await waitForPosition(db.knex, ['store_tally'], second.position, 10_000)).toBe(true);

    const generations = await listGenerations(db.knex, 'store_tally');
    expect(generations.map(({ generation, state }) => ({ generation, state }))).toEqual([
      { generation: 1, state: 'retired' },
      { generation: 2, state: 'active' },
    ]);
    // Every event counted once by the new generation: it started at 0, not at the old checkpoint.
    expect(generations[1]!.eventsProcessed).toBe(5);
    expect(await counts()).toEqual({ 'tally-a': 3, 'tally-b': 2 });
    expect(await recordedKind()).toBe('postgres');
    expect(warnings).toEqual([expect.stringContaining('event store changed from eventstoredb to postgres')]);
    expect(warnings[0]).toContain('rebuilt from position 0 into a new generation');
  });

  it('reports the lag in events on PostgreSQL and as unknown on EventStoreDB, whose positions are byte offsets', async () => {
    await store.appendToStream('tally-c', [counted()], { expectedRevision: 'any' });
    const head = await store.headPosition();
    const [onPostgres] = await projectionStatuses(db.knex, [tally], head, 'postgres');
    const [onEventStoreDb] = await projectionStatuses(db.knex, [tally], head, 'eventstoredb');
    expect(onPostgres!.active!.lagEvents).toEqual(expect.any(Number));
    expect(onEventStoreDb!.active!.lagEvents).toBeNull();
    expect(onEventStoreDb!.active!.lagMs).toEqual(expect.any(Number));
  });
});
