import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { createPostgresEventStore, type EventStore, type EventToAppend } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { createGeneration, findGeneration } from './checkpoints.js';
import { defineProjection, type ProjectionContext, type ProjectionDefinition } from './projection.js';
import { ensureTables } from './projection-schema.js';
import { runProjectionWorker } from './projection-worker.js';
import { replayIntoSchema } from './replay-into-schema.js';
import { switchToGeneration } from './switch-generation.js';
import { waitForPosition } from './wait-for-position.js';

/**
 * A tally with a derived table: live, each batch counts its events per stream and re-derives the
 * totals of the streams it touched; in bulk mode batches only count, and `finish` derives every
 * total at once. Every batch notes its mode, every finish leaves a row.
 */
function derivedTally(name: string): ProjectionDefinition {
  const counts = `${name}_counts`;
  const totals = `${name}_totals`;
  const count = async (events: readonly { streamId: string }[], ctx: ProjectionContext, mode: 'live' | 'bulk') => {
    const perStream = new Map<string, number>();
    for (const event of events) perStream.set(event.streamId, (perStream.get(event.streamId) ?? 0) + 1);
    await ctx.trx.raw(
      `INSERT INTO ${ctx.qualified(counts)} (stream_id, n) SELECT * FROM unnest(?::text[], ?::int[])
       ON CONFLICT (stream_id) DO UPDATE SET n = ${ctx.qualified(counts)}.n + EXCLUDED.n`,
      [[...perStream.keys()], [...perStream.values()]],
    );
    await ctx.table(`${name}_batches`).insert({ mode });
    return [...perStream.keys()];
  };
  const derive = (ctx: ProjectionContext, streams: string[] | 'all') =>
    ctx.trx.raw(
      `INSERT INTO ${ctx.qualified(totals)} (stream_id, label) SELECT stream_id, stream_id || ': ' || n FROM ${ctx.qualified(counts)}
        WHERE ${streams === 'all' ? 'true' : 'stream_id = ANY(?::text[])'}
       ON CONFLICT (stream_id) DO UPDATE SET label = EXCLUDED.label`,
      streams === 'all' ? [] : [streams],
    );
  return defineProjection({
    name,
    version: 1,
    tables: [totals],
    onPoisonEvent: 'stop',
    async createTables(knex, schema) {
      await knex.schema.withSchema(schema).createTable(counts, (t) => {
        t.text('stream_id').primary();
        t.integer('n').notNullable();
      });
      await knex.schema.withSchema(schema).createTable(totals, (t) => {
        t.text('stream_id').primary();
        t.text('label').notNullable();
      });
      await knex.schema.withSchema(schema).createTable(`${name}_batches`, (t) => {
        t.increments('id');
        t.text('mode').notNullable();
      });
      await knex.schema.withSchema(schema).createTable(`${name}_finishes`, (t) => {
        t.increments('id');
      });
    },
    eventTypes: ['Counted'],
    async applyBatch(events, ctx) {
      await derive(ctx, await count(events, ctx, 'live'));
    },
    bulk: {
      async applyBatch(events, ctx) {
        await count(events, ctx, 'bulk');
      },
      async finish(ctx) {
        await derive(ctx, 'all');
        await ctx.table(`${name}_finishes`).insert({});
      },
    },
  });
}

/**
 * A tally with a readers' index on its totals, which its bulk form drops and its finish creates
 * again: each batch notes whether the index was there while it wrote.
 */
function indexedTally(name: string): ProjectionDefinition {
  const index = `${name}_label`;
  const createIndex = (knex: Knex | Knex.Transaction, qualified: (n: string) => string) => knex.raw(`CREATE INDEX IF NOT EXISTS ${index} ON ${qualified(name)} (label)`);
  const apply = async (events: readonly { streamId: string }[], ctx: ProjectionContext) => {
    const { rows } = await ctx.trx.raw<{ rows: { present: boolean }[] }>(`SELECT to_regclass(?) IS NOT NULL AS present`, [ctx.qualified(index)]);
    await ctx.table(`${name}_batches`).insert({ index_present: rows[0]!.present });
    await ctx.table(name).insert(events.map(() => ({ label: 'x' })));
  };
  return defineProjection({
    name,
    version: 1,
    tables: [name],
    onPoisonEvent: 'stop',
    async createTables(knex, schema) {
      await knex.schema.withSchema(schema).createTable(name, (t) => {
        t.increments('id');
        t.text('label').notNullable();
      });
      await knex.schema.withSchema(schema).createTable(`${name}_batches`, (t) => {
        t.increments('id');
        t.boolean('index_present').notNullable();
      });
      await createIndex(knex, (n) => `"${schema}"."${n}"`);
    },
    eventTypes: ['Counted'],
    applyBatch: apply,
    bulk: {
      applyBatch: apply,
      dropReaderIndexes: async (ctx) => {
        await ctx.trx.raw(`DROP INDEX IF EXISTS ${ctx.qualified(index)}`);
      },
      finish: async (ctx) => {
        await createIndex(ctx.trx, ctx.qualified);
      },
    },
  });
}

const counted = (): EventToAppend => ({
  eventId: randomUUID(),
  type: 'Counted',
  data: {},
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() },
});

describe('bulk mode while catching up', () => {
  let db: TestDatabase;
  let store: EventStore;
  let head: bigint;
  const expectedTotals = { 'b-1': 'b-1: 10', 'b-2': 'b-2: 10', 'b-3': 'b-3: 10', 'b-4': 'b-4: 10' };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
    for (const stream of ['b-1', 'b-2', 'b-3', 'b-4']) head = (await store.appendToStream(stream, Array.from({ length: 10 }, counted), { expectedRevision: 'any' })).position;
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const rows = async (schema: string, table: string) => db.knex.withSchema(schema).table(table).orderBy('id').pluck('mode');
  const totals = async (schema: string) =>
    Object.fromEntries(((await db.knex.withSchema(schema).table('bulky_totals').select('stream_id', 'label')) as { stream_id: string; label: string }[]).map((r) => [r.stream_id, r.label]));
  const finishes = async (schema: string) => Number(((await db.knex.withSchema(schema).table('bulky_finishes').count('* as n').first()) as { n: string }).n);

  it('writes in bulk far behind the head and derives once, in the batch that reaches it', async () => {
    const schema = 'scratch_bulk_far';
    const { generation } = await replayIntoSchema({ knex: db.knex, store, projection: derivedTally('bulky'), schema, batchSize: 7, bulkFromLag: 10, bulkPagesPerBatch: 1, signal: new AbortController().signal });
    expect(await rows(schema, 'bulky_batches')).toEqual(Array(6).fill('bulk'));
    expect(await finishes(schema)).toBe(1);
    expect(await totals(schema)).toEqual(expectedTotals);
    const checkpoint = (await findGeneration(db.knex, 'bulky', generation))!;
    expect(checkpoint.position).toBe(head);
    expect(await db.knex('projection_checkpoints').where({ projection: 'bulky', generation }).first('bulk_pending')).toEqual({ bulk_pending: false });
  });

  it('loads a generation nobody reads without its readers\' indexes and creates them at the end', async () => {
    const schema = 'scratch_bulk_indexes';
    await replayIntoSchema({ knex: db.knex, store, projection: indexedTally('indexed'), schema, batchSize: 7, bulkFromLag: 10, bulkPagesPerBatch: 1, signal: new AbortController().signal });
    const present = await db.knex.withSchema(schema).table('indexed_batches').orderBy('id').pluck('index_present');
    // Every bulk batch wrote without it; the last batch, which settles the finish, still does.
    expect(present).toEqual(Array(6).fill(false));
    expect(await db.knex('pg_indexes').where({ schemaname: schema, indexname: 'indexed_label' }).first('indexname')).toEqual({ indexname: 'indexed_label' });
  });

  it('keeps the readers\' indexes of the serving generation while it catches up in bulk', async () => {
    const projection = indexedTally('indexed_serving');
    const generation = await createGeneration(db.knex, projection.name, 1, 'building', () => 'scratch_bulk_indexes_serving');
    await ensureTables(db.knex, projection, generation.schemaName);
    await switchToGeneration(db.knex, projection, generation.generation, generation.schemaName);
    await runProjectionWorker({
      knex: db.knex,
      store,
      projection,
      generation: generation.generation,
      schema: generation.schemaName,
      fromPosition: 0n,
      batchSize: 7,
      bulkFromLag: 10, bulkPagesPerBatch: 1,
      stopWhenCaughtUp: true,
      signal: new AbortController().signal,
    });
    expect(await db.knex.withSchema(generation.schemaName).table('indexed_serving_batches').orderBy('id').pluck('index_present')).toEqual(Array(6).fill(true));
  });

  it('stays incremental when the head is nearer than the bulk threshold', async () => {
    const schema = 'scratch_bulk_near';
    await replayIntoSchema({ knex: db.knex, store, projection: derivedTally('bulky'), schema, batchSize: 7, bulkFromLag: 1_000, signal: new AbortController().signal });
    expect(await rows(schema, 'bulky_batches')).toEqual(Array(6).fill('live'));
    expect(await finishes(schema)).toBe(0);
    expect(await totals(schema)).toEqual(expectedTotals);
  });

  it('keeps an owed finish with the checkpoint across a stop, hides the position from readers until the next worker pays it', async () => {
    const projection = derivedTally('bulky_resumed');
    const generation = await createGeneration(db.knex, projection.name, 1, 'building', () => 'scratch_bulk_resumed');
    await ensureTables(db.knex, projection, generation.schemaName);
    await switchToGeneration(db.knex, projection, generation.generation, generation.schemaName);
    const stopped = new AbortController();
    let batches = 0;
    await runProjectionWorker({
      knex: db.knex,
      store,
      projection,
      generation: generation.generation,
      schema: generation.schemaName,
      fromPosition: 0n,
      batchSize: 7,
      bulkFromLag: 10, bulkPagesPerBatch: 1,
      signal: stopped.signal,
      onProgress: () => {
        if (++batches === 2) stopped.abort();
      },
    });
    const midway = (await findGeneration(db.knex, projection.name, generation.generation))!;
    expect(midway.position).toBeGreaterThan(0n);
    expect(midway.position).toBeLessThan(head);
    expect(await db.knex('projection_checkpoints').where({ projection: projection.name }).first('bulk_pending')).toEqual({ bulk_pending: true });
    const schema = generation.schemaName;
    expect(await db.knex.withSchema(schema).table('bulky_resumed_totals').pluck('stream_id')).toEqual([]);
    // The derived rows lag the checkpoint: read-your-writes must not count it as reached.
    expect(await waitForPosition(db.knex, [projection.name], midway.position, 0)).toBe(false);

    // Restarted where a live worker would never choose bulk: the owed finish decides, and is paid once.
    const outcome = await runProjectionWorker({
      knex: db.knex,
      store,
      projection,
      generation: generation.generation,
      schema,
      fromPosition: midway.position,
      batchSize: 7,
      bulkFromLag: Infinity,
      bulkPagesPerBatch: 1,
      stopWhenCaughtUp: true,
      signal: new AbortController().signal,
    });
    expect(outcome).toBe('caught_up');
    expect(await db.knex.withSchema(schema).table('bulky_resumed_batches').orderBy('id').pluck('mode')).toEqual(Array(6).fill('bulk'));
    expect(Number(((await db.knex.withSchema(schema).table('bulky_resumed_finishes').count('* as n').first()) as { n: string }).n)).toBe(1);
    expect(
      Object.fromEntries(((await db.knex.withSchema(schema).table('bulky_resumed_totals').select('stream_id', 'label')) as { stream_id: string; label: string }[]).map((r) => [r.stream_id, r.label])),
    ).toEqual(expectedTotals);
    expect(await waitForPosition(db.knex, [projection.name], head, 0)).toBe(true);
  });
});
