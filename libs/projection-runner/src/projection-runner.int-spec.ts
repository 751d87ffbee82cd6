import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPostgresEventStore, type EventStore, type EventToAppend } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { defineProjection, type ProjectionDefinition } from './projection.js';
import { ProjectionRunner, requestRebuild } from './projection-runner.js';
import { projectionStatuses } from './projection-status.js';
import { runProjectionWorker } from './projection-worker.js';
import { waitForPosition } from './wait-for-position.js';
import { ensureTables } from './projection-schema.js';
import { createGeneration, listGenerations } from './checkpoints.js';
import { switchToGeneration } from './switch-generation.js';
import pg from 'pg';
import { PROJECTION_PROGRESS_CHANNEL, parseProjectionProgress, type ProjectionProgress } from './notify-progress.js';

function tally(version: number, onPoisonEvent: 'stop' | 'park' = 'park', name = 'tally'): ProjectionDefinition {
  return defineProjection({
    name,
    version,
    tables: [`${name}_counts`],
    onPoisonEvent,
    async createTables(knex, schema) {
      await knex.schema.withSchema(schema).createTable(`${name}_counts`, (t) => {
        t.text('stream_id').primary();
        t.integer('n').notNullable();
        t.integer('weight').notNullable();
      });
    },
    handlers: {
      Counted: async (event, ctx) => {
        if (event.data.poison === true || event.data.poison === name) throw new Error('cannot count poison');
        // Version 2 counts double: lets a test tell which generation serves.
        await ctx.trx.raw(
          `INSERT INTO ${ctx.qualified(`${name}_counts`)} (stream_id, n, weight) VALUES (?, 1, ?)
           ON CONFLICT (stream_id) DO UPDATE SET n = EXCLUDED.n + ${ctx.qualified(`${name}_counts`)}.n, weight = EXCLUDED.weight`,
          [event.streamId, version],
        );
      },
    },
  });
}

/** The tally in the set-based form: one statement per batch, and it records the size of each batch it was handed. */
function batchTally(name: string): ProjectionDefinition {
  return defineProjection({
    name,
    version: 1,
    tables: [`${name}_counts`, `${name}_batches`],
    onPoisonEvent: 'park',
    async createTables(knex, schema) {
      await knex.schema.withSchema(schema).createTable(`${name}_counts`, (t) => {
        t.text('stream_id').primary();
        t.integer('n').notNullable();
      });
      await knex.schema.withSchema(schema).createTable(`${name}_batches`, (t) => {
        t.increments('id');
        t.integer('size').notNullable();
      });
    },
    eventTypes: ['Counted'],
    async applyBatch(events, ctx) {
      if (events.some((event) => event.type !== 'Counted')) throw new Error('handed an event type it does not consume');
      if (events.some((event) => event.data.poison === name)) throw new Error('cannot count poison');
      const perStream = new Map<string, number>();
      for (const event of events) perStream.set(event.streamId, (perStream.get(event.streamId) ?? 0) + 1);
      const table = ctx.qualified(`${name}_counts`);
      await ctx.trx.raw(
        `INSERT INTO ${table} (stream_id, n) SELECT * FROM unnest(?::text[], ?::int[])
         ON CONFLICT (stream_id) DO UPDATE SET n = ${table}.n + EXCLUDED.n`,
        [[...perStream.keys()], [...perStream.values()]],
      );
      await ctx.table(`${name}_batches`).insert({ size: events.length });
    },
  });
}

const counted = (data: Record<string, unknown> = {}): EventToAppend => ({
  eventId: randomUUID(),
  type: 'Counted',
  data,
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() },
});

async function appendMany(store: EventStore, streams: string[], perStream: number): Promise<bigint> {
  let position = 0n;
  for (const stream of streams) {
    const result = await store.appendToStream(stream, Array.from({ length: perStream }, () => counted()), { expectedRevision: 'any' });
    position = result.position;
  }
  return position;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Rejects when the promise has not settled in time: a hang fails the test that caused it, not a later hook. */
async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('projection runner', () => {
  let db: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner | undefined;

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

  const counts = async (table = 'tally_counts') =>
    Object.fromEntries(((await db.knex(table).select('stream_id', 'n')) as { stream_id: string; n: number }[]).map((r) => [r.stream_id, r.n]));

  it('builds the tables from the log and serves them under their public names', async () => {
    const head = await appendMany(store, ['a-1', 'a-2'], 3);
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(1)] });
    await runner.start();
    expect(await waitForPosition(db.knex, ['tally'], head, 10_000)).toBe(true);
    expect(await counts()).toEqual({ 'a-1': 3, 'a-2': 3 });
  });

  it('follows the live log and resumes from its checkpoint after a restart without applying anything twice', async () => {
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(1)] });
    await runner.start();
    const live = await appendMany(store, ['a-1'], 2);
    expect(await waitForPosition(db.knex, ['tally'], live, 10_000)).toBe(true);
    await runner.stop();
    const whileDown = await appendMany(store, ['a-2'], 4);
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(1)] });
    await runner.start();
    expect(await waitForPosition(db.knex, ['tally'], whileDown, 10_000)).toBe(true);
    expect(await counts()).toEqual({ 'a-1': 5, 'a-2': 7 });
  });

  it('parks a poison event with its error and goes on with the rest', async () => {
    await store.appendToStream('p-1', [counted(), counted({ poison: true }), counted()], { expectedRevision: 'any' });
    const { position } = await store.appendToStream('p-2', [counted()], { expectedRevision: 'any' });
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(1)] });
    await runner.start();
    expect(await waitForPosition(db.knex, ['tally'], position, 10_000)).toBe(true);
    expect((await counts())['p-1']).toBe(2);
    const parked = await db.knex('projection_dead_letters').where({ projection: 'tally' });
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ stream_id: 'p-1', event_type: 'Counted', error: expect.stringContaining('cannot count poison') });
    const [status] = await projectionStatuses(db.knex, [tally(1)], await store.headPosition(), store.kind);
    expect(status.active?.deadLetters).toBe(1);
  });

  it('hands a set-based projection whole batches of only its event types, and isolates a poison event one by one', async () => {
    const bulk = batchTally('bulk');
    await store.appendToStream('q-1', [counted(), counted(), { ...counted(), type: 'Ignored' }, counted({ poison: 'bulk' }), counted()], { expectedRevision: 'any' });
    const { position } = await store.appendToStream('q-2', [counted(), counted()], { expectedRevision: 'any' });
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [bulk] });
    await runner.start();
    expect(await waitForPosition(db.knex, ['bulk'], position, 10_000)).toBe(true);
    expect(await counts('bulk_counts')).toMatchObject({ 'q-1': 3, 'q-2': 2 });
    const parked = await db.knex('projection_dead_letters').where({ projection: 'bulk' });
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ stream_id: 'q-1', event_type: 'Counted', error: expect.stringContaining('cannot count poison') });
    // The poison made the runner re-apply its batch event by event; the ignored event was never handed over.
    const sizes: number[] = await db.knex('bulk_batches').orderBy('id').pluck('size');
    const countedInLog = (await db.knex('bulk_counts').sum('n as n').first()) as { n: string };
    expect(sizes).toEqual(Array.from({ length: Number(countedInLog.n) }, () => 1));
    await runner.stop();
    const more = await appendMany(store, ['q-3'], 4);
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [bulk] });
    await runner.start();
    expect(await waitForPosition(db.knex, ['bulk'], more, 10_000)).toBe(true);
    expect((await counts('bulk_counts'))['q-3']).toBe(4);
    // Caught up from a checkpoint, the four events arrive together and are applied as one batch.
    expect(await db.knex('bulk_batches').orderBy('id', 'desc').first('size')).toEqual({ size: 4 });
  });

  it('moves the checkpoints of the projections a page means nothing to in one statement, each with its own notice', async () => {
    const names = ['quiet_a', 'quiet_b', 'quiet_c'];
    runner = new ProjectionRunner({ knex: db.knex, store, projections: names.map((name) => tally(1, 'park', name)) });
    await runner.start();
    expect(await waitForPosition(db.knex, names, await appendMany(store, ['x-0'], 1), 10_000)).toBe(true);
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notices: ProjectionProgress[] = [];
    listener.on('notification', (message) => {
      const progress = parseProjectionProgress(message.payload);
      if (progress) notices.push(progress);
    });
    await listener.query(`LISTEN ${PROJECTION_PROGRESS_CHANNEL}`);
    const statements: string[] = [];
    const seen = (query: { sql: string }) => statements.push(query.sql);
    db.knex.on('query', seen);
    try {
      // An event none of them consumes: each only moves its checkpoint.
      const { position } = await store.appendToStream('x-1', [{ ...counted(), type: 'Ignored' }], { expectedRevision: 'any' });
      expect(await waitForPosition(db.knex, names, position, 10_000)).toBe(true);
      await until(async () => notices.filter((notice) => notice.position === String(position)).length === names.length);
      expect(statements.filter((sql) => sql.includes('WITH moves AS'))).toHaveLength(1);
      expect(notices.filter((notice) => notice.position === String(position)).map((notice) => notice.projection).sort()).toEqual(names);
    } finally {
      db.knex.off('query', seen);
      await listener.end();
    }
  });

  it('stops at a poison event under the stop policy, reports it, and keeps the checkpoint before it', async () => {
    const strict = tally(1, 'stop', 'strict');
    const { position: poisonAt } = await store.appendToStream('s-1', [counted({ poison: 'strict' })], { expectedRevision: 'any' });
    await store.appendToStream('s-2', [counted()], { expectedRevision: 'any' });
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [strict] });
    await runner.start();
    // Its first generation halts while building: it never caught up, so it is reported but never served.
    await until(async () => (await projectionStatuses(db.knex, [strict], poisonAt, store.kind))[0].building?.state === 'failed');
    const [status] = await projectionStatuses(db.knex, [strict], await store.headPosition(), store.kind);
    expect(status.active).toBeNull();
    expect(status.building?.error).toContain('cannot count poison');
    // The batch holding the poison event rolled back whole: nothing at or after it was applied.
    expect(BigInt(status.building!.position)).toBeLessThan(poisonAt);
    const [generation] = await listGenerations(db.knex, 'strict');
    const rows = await db.knex.withSchema(generation!.schemaName).table('strict_counts').whereIn('stream_id', ['s-1', 's-2']);
    expect(rows).toEqual([]);
    expect((await db.knex.raw("SELECT to_regclass('public.strict_counts') AS view")).rows).toEqual([{ view: null }]);
  });

  it('rebuilds a new version beside the serving one and switches atomically when caught up', async () => {
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(1)] });
    await runner.start();
    const head = await appendMany(store, ['b-1'], 2);
    expect(await waitForPosition(db.knex, ['tally'], head, 10_000)).toBe(true);
    const servedByV1 = await counts();
    const [v1] = (await listGenerations(db.knex, 'tally')).filter((g) => g.state === 'active');
    await runner.stop();

    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(2)] });
    await runner.start();
    await until(async () => (await listGenerations(db.knex, 'tally')).some((g) => g.state === 'active' && g.version === 2));
    expect(await counts()).toEqual(servedByV1);
    const weights = await db.knex('tally_counts').distinct('weight');
    expect(weights).toEqual([{ weight: 2 }]);
    // The retired schema is dropped once the switch has committed (and the old worker stopped), so a moment after it.
    const oldSchema = () => db.knex.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [v1.schemaName]);
    await until(async () => (await oldSchema()).rows.length === 0);
  });

  it('rebuilds on request from another process and keeps answering queries meanwhile', async () => {
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(2)], rebuildPollMs: 50 });
    await runner.start();
    const head = await store.headPosition();
    expect(await waitForPosition(db.knex, ['tally'], head, 10_000)).toBe(true);
    const before = await counts();
    const requested = await requestRebuild(db.knex, tally(2));
    // The serving view answers throughout; it is only ever the old or the new generation.
    await until(async () => {
      expect(await counts()).toEqual(before);
      return (await listGenerations(db.knex, 'tally')).some((g) => g.generation === requested.generation && g.state === 'active');
    });
    expect(await counts()).toEqual(before);
  });

  it('drops the schema a crash left behind between a switch and the drop of the retired generation', async () => {
    const projection = tally(1, 'park', 'leftover');
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [projection] });
    await runner.start();
    await until(async () => (await listGenerations(db.knex, 'leftover')).some((g) => g.state === 'active'));
    await runner.stop();
    const [first] = await listGenerations(db.knex, 'leftover');
    // What switchOver had done when the process died: the new generation serves, the old schema is still there.
    const second = await createGeneration(db.knex, 'leftover', 1, 'building', (g) => `rm_leftover_v1_g${g}`);
    await ensureTables(db.knex, projection, second.schemaName);
    await switchToGeneration(db.knex, projection, second.generation, second.schemaName);
    const schemaExists = async (schema: string) =>
      (await db.knex.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [schema])).rows.length > 0;
    expect(await schemaExists(first!.schemaName)).toBe(true);

    runner = new ProjectionRunner({ knex: db.knex, store, projections: [projection] });
    await runner.start();
    expect(await schemaExists(first!.schemaName)).toBe(false);
    expect(await schemaExists(second.schemaName)).toBe(true);
  });

  it('stops promptly however soon after start() it is asked to', async () => {
    // A stop landing while a worker is between its setup queries once left the worker following the log for ever.
    for (let delayMs = 0; delayMs <= 6; delayMs++) {
      for (let attempt = 0; attempt < 5; attempt++) {
        runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(1, 'park', 'prompt')] });
        await runner.start();
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        await settlesWithin(runner.stop(), 3_000, `stop() ${delayMs} ms after start()`);
      }
    }
  });

  it('lets the others read on past the buffer when a worker is still starting after the startup hold', async () => {
    // Batches of 10: the reading holds 50 pages, 500 events, fewer than the log.
    const head = await appendMany(store, ['h-1', 'h-2', 'h-3'], 200);
    let letStart!: () => void;
    const allowed = new Promise<void>((resolve) => (letStart = resolve));
    const slow = tally(1, 'park', 'holdslow');
    const slowToStart: ProjectionDefinition = {
      ...slow,
      createTables: async (knex, schema) => {
        await allowed;
        await slow.createTables(knex, schema);
      },
    };
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(1, 'park', 'holdfree'), slowToStart], batchSize: 10, startupHoldMs: 200 });
    await runner.start();
    expect(await waitForPosition(db.knex, ['holdfree'], head, 10_000)).toBe(true);
    letStart();
    expect(await waitForPosition(db.knex, ['holdslow'], head, 10_000)).toBe(true);
    expect(await counts('holdslow_counts')).toEqual(await counts('holdfree_counts'));
  });

  it('starts no worker when stopped while still starting', async () => {
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally(1, 'park', 'interrupted')], rebuildPollMs: 20 });
    const starting = runner.start();
    await settlesWithin(runner.stop(), 3_000, 'stop() during start()');
    await starting;
    const head = await appendMany(store, ['i-1'], 1);
    expect(await waitForPosition(db.knex, ['interrupted'], head, 500)).toBe(false);
  });

  it('returns at once from a worker whose signal aborted before it started', async () => {
    const generation = await createGeneration(db.knex, 'preaborted', 1, 'replay', () => 'scratch_preaborted');
    await ensureTables(db.knex, tally(1, 'park', 'preaborted'), 'scratch_preaborted');
    const outcome = runProjectionWorker({
      knex: db.knex,
      store,
      projection: tally(1, 'park', 'preaborted'),
      generation: generation.generation,
      schema: 'scratch_preaborted',
      fromPosition: 0n,
      signal: AbortSignal.abort(),
    });
    expect(await settlesWithin(outcome, 3_000, 'the worker')).toBe('aborted');
  });

  it('asks the store for the head once it has caught up, not after every live batch', async () => {
    const generation = await createGeneration(db.knex, 'headreads', 1, 'replay', () => 'scratch_headreads');
    await ensureTables(db.knex, tally(1, 'park', 'headreads'), 'scratch_headreads');
    // The real store, its head reads counted: the worker goes idle after each live batch, and only a
    // bulk finish, a stop, or the first caught-up report needs the head then.
    let headReads = 0;
    const counting = new Proxy(store, {
      get(target, key) {
        if (key === 'headPosition') headReads += 1;
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const applied: bigint[] = [];
    let caughtUp = false;
    const abort = new AbortController();
    const worker = runProjectionWorker({
      knex: db.knex,
      store: counting,
      projection: tally(1, 'park', 'headreads'),
      generation: generation.generation,
      schema: 'scratch_headreads',
      fromPosition: 0n,
      signal: abort.signal,
      onProgress: (progress) => {
        applied.push(progress.position);
        if (progress.caughtUp) caughtUp = true;
      },
    });
    const until = async (condition: () => boolean, what: string) => {
      const deadline = Date.now() + 10_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await until(() => caughtUp, 'the worker to catch up with the log');
    headReads = 0;
    for (let i = 0; i < 5; i++) {
      const position = await appendMany(store, [`h-${i}`], 1);
      await until(() => applied.some((p) => p >= position), `event ${position} to be applied`);
    }
    abort.abort();
    expect(await settlesWithin(worker, 3_000, 'the worker')).toBe('aborted');
    const rows = await db.knex.withSchema('scratch_headreads').table('headreads_counts').where('stream_id', 'like', 'h-%').count({ n: '*' });
    expect(Number(rows[0]!.n)).toBe(5);
    expect(headReads).toBe(0);
  });

  it('replays into a scratch schema up to a position', async () => {
    const first = await appendMany(store, ['r-1'], 3);
    await appendMany(store, ['r-1'], 3);
    const replay = tally(1, 'park', 'replayed');
    const generation = await createGeneration(db.knex, 'replayed', 1, 'replay', () => 'scratch_replay');
    await ensureTables(db.knex, replay, 'scratch_replay');
    const outcome = await runProjectionWorker({
      knex: db.knex,
      store,
      projection: replay,
      generation: generation.generation,
      schema: 'scratch_replay',
      fromPosition: 0n,
      stopWhenCaughtUp: true,
      until: { position: first },
      signal: new AbortController().signal,
    });
    expect(outcome).toBe('until_reached');
    const row = await db.knex.withSchema('scratch_replay').table('replayed_counts').where({ stream_id: 'r-1' }).first();
    expect(row.n).toBe(3);
  });
});
