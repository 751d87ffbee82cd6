import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { copyEventLogWithKeys, type Knex } from '@mpp/db';
import { readPaths } from '@mpp/generator';
import { readModelDifferences } from '@mpp/projection-runner';
import { seedDemo } from '../demo/seed-demo.js';
import { caughtUp, headPosition, settledHeadPosition } from './soak-progress.js';
import { answerCacheCounts, countsBetween } from './soak-cache.js';
import { cpuSampler } from './soak-cpu.js';
import { LatencyBreakdown, requestKind } from './soak-latency.js';
import { watchDatabaseWaits } from './soak-waits.js';
import { freePort, startSoakDatabase, type SoakDatabase } from './soak-database.js';
import { call, signInRider, type Answer, type Rider } from './soak-http.js';
import { REPO_ROOT, sleep, startProcess, waitForApi, type SoakProcess } from './soak-processes.js';
import { BIKES, PARTS } from '@mpp/projections';

/**
 * `npm run test:soak`: the long reliability runs against real processes on loopback.
 * 1. PostgreSQL stopped for 10 s under traffic: only 503 problem+json (or "still being processed"),
 *    nothing hangs, /ready reports the database down, API and projector recover by themselves.
 * 2. autocannon, 100 connections for 60 s, 90% reads / 10% verification commands, while the
 *    projector is SIGKILLed at random moments and restarted: zero errors, latency recorded.
 * 3. Nothing lost: every accepted command is in the log exactly once, and the read models the
 *    crashed projector built equal, table by table, a clean build of the same log in another database.
 * Writes bench/results/load.json; exits 1 if any check failed. Bounded: every loop has a deadline.
 */
// autocannon ships no types, and another tool declares its own; the soak names only what it reads.
interface LoadResult {
  requests: { total: number; average: number };
  latency: { average: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}
/** autocannon's per-connection context: one request in flight per connection, so one start time. */
interface LoadContext {
  kind?: string;
  startedAt?: number;
}
interface LoadRequest {
  method: string;
  setupRequest: (req: object, context: LoadContext) => object;
  onResponse?: (status: number, body: string, context: LoadContext) => void;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: { url: string; connections: number; duration: number; timeout: number; requests: LoadRequest[] }) => Promise<LoadResult>;

const OPTIONS = {
  durationSec: numberArg('--duration', 60),
  connections: numberArg('--connections', 100),
  outageMs: numberArg('--outage-ms', 10_000),
  projectorKills: numberArg('--projector-kills', 4),
  riders: 100,
};
const HANG_BOUND_MS = 15_000;

const log = (line: string) => process.stdout.write(`[soak] ${line}\n`);
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

async function main(): Promise<void> {
  const db = await startSoakDatabase();
  const processes: SoakProcess[] = [];
  try {
    await run(db, processes);
  } finally {
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    await db.destroy();
  }
}

async function run(db: SoakDatabase, processes: SoakProcess[]): Promise<void> {
  const url = await db.create('soak');
  const knex = db.knex('soak');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = startProcess('api', {
    DATABASE_URL: url,
    API_PORT: String(port),
    AUTH_DEV_LOGIN: '1',
    // One client machine sends everything; the limits are not what this run measures.
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_STRICT_PER_MINUTE: '100000000',
  });
  processes.push(api);
  let projector = startProcess('projector', { DATABASE_URL: url });
  processes.push(projector);
  await waitForApi(baseUrl, api);
  log('seeding the demo catalog through the API');
  const seeded = await seedDemo(baseUrl, { now: new Date(), concurrency: 8 });
  log(`seeded: ${seeded.bikes} bikes, ${seeded.parts} parts, ${seeded.prices} prices, ${seeded.verifications} verifications`);
  await waitUntil(() => caughtUp(knex, seeded.position), 120_000, 'projector caught up with the seed');
  const bikeIds: string[] = await knex(BIKES).pluck('id');
  const partIds: string[] = await knex(PARTS).pluck('id');
  const riders: Rider[] = [];
  for (let i = 0; i < OPTIONS.riders; i++) riders.push(await signInRider(baseUrl, `soak-rider-${i}@example.com`));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

  // ---- 1. database outage ---- (`--outage-ms 0` skips it: a diagnostic run of the load alone, not the soak's verdict)
  const outage = OPTIONS.outageMs > 0 ? await databaseOutage(db, baseUrl, riders, bikeIds, partIds, knex) : { accepted: [], summary: undefined };
  if (OPTIONS.outageMs === 0) check(false, 'the database outage ran (skipped with --outage-ms 0)');
  check(api.exitedWith() === undefined && projector.exitedWith() === undefined, 'API and projector processes survived the outage without a restart');

  // ---- 2. load with projector kills ----
  log(`load: ${OPTIONS.connections} connections for ${OPTIONS.durationSec} s, 90% reads / 10% commands, ${OPTIONS.projectorKills} projector SIGKILLs`);
  const accepted = new Set<string>();
  // A failed "zero errors" check must say what the refusals were, not only how many.
  const refusals: string[] = [];
  const sampleRefusal = (status: number, body: string) => {
    if (status >= 300 && refusals.length < 5) refusals.push(`${status} ${body.slice(0, 300)}`);
  };
  // Timed here as well as by autocannon: its one histogram cannot say which route or moment the tail is.
  const latency = new LatencyBreakdown(performance.now());
  const timed = (method: string, setup: (req: object) => object & { path: string }) => ({
    method,
    setupRequest: (req: object, context: LoadContext) => {
      const request = setup(req);
      context.kind = requestKind(method, request.path);
      context.startedAt = performance.now();
      return request;
    },
  });
  const finished = (context: LoadContext) => {
    if (context.kind !== undefined && context.startedAt !== undefined) latency.record(context.kind, context.startedAt, performance.now());
  };
  const reads = readPaths({ bikeIds, partIds }, pick);
  const requests: LoadRequest[] = [
    ...reads.map((path) => ({
      ...timed('GET', (req) => ({ ...req, path: path() })),
      onResponse: (status: number, body: string, context: LoadContext) => {
        finished(context);
        sampleRefusal(status, body);
      },
    })),
    {
      ...timed('POST', (req) => {
        const rider = pick(riders);
        return {
          ...req,
          path: '/api/verifications',
          headers: { 'content-type': 'application/json', cookie: rider.cookie, 'x-csrf-token': rider.csrfToken },
          body: JSON.stringify({ partId: pick(partIds), bikeId: pick(bikeIds), fits: Math.random() < 0.8 }),
        };
      }),
      onResponse: (status: number, body: string, context: LoadContext) => {
        finished(context);
        if (status === 201) accepted.add((JSON.parse(body) as { verificationId: string }).verificationId);
        else sampleRefusal(status, body);
      },
    },
  ];
  const killTimes = Array.from({ length: OPTIONS.projectorKills }, () => 2000 + Math.random() * (OPTIONS.durationSec * 1000 - 6000)).sort((a, b) => a - b);
  const databaseWaits = await watchDatabaseWaits(knex);
  const cacheBefore = await answerCacheCounts(baseUrl);
  const cpu = cpuSampler({ api: () => api.pid, postmaster: () => db.postmasterPid() });
  const loadAverageBefore = loadavg()[0]!;
  const loadStarted = Date.now();
  const killer = (async () => {
    for (const at of killTimes) {
      await sleep(Math.max(0, loadStarted + at - Date.now()));
      await projector.kill('SIGKILL');
      log(`  projector SIGKILLed at ${((Date.now() - loadStarted) / 1000).toFixed(1)} s; restarting`);
      projector = startProcess('projector', { DATABASE_URL: url });
      processes.push(projector);
    }
  })();
  const result = await autocannon({ url: baseUrl, connections: OPTIONS.connections, duration: OPTIONS.durationSec, timeout: 10, requests });
  const loadAverageAfter = loadavg()[0]!;
  const cpuSeconds = cpu();
  const waits = await databaseWaits();
  const answerCache = countsBetween(cacheBefore, await answerCacheCounts(baseUrl));
  await killer;
  log(`load: ${result.requests.total} requests, ${result['2xx']} 2xx, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
  for (const refusal of refusals) log(`  sample refusal: ${refusal}`);
  reportBreakdown(latency, killTimes, cpuSeconds, waits);
  if (answerCache) log(`  answer cache during the load: ${answerCache.hits} hits, ${answerCache.misses} misses, of which ${answerCache.joined} joined a computation under way; ${answerCache.refused} computed answers not kept (a key changed meanwhile)`);
  check(result.errors === 0 && result.timeouts === 0 && result.non2xx === 0, `zero errors under load (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}; ${JSON.stringify(result.statusCodeStats)})`);
  check(accepted.size > 0, `commands were accepted under load (${accepted.size})`);

  // ---- 3. nothing lost ----
  const head = await settledHeadPosition(knex);
  await waitUntil(() => caughtUp(knex, head), 180_000, 'restarted projector caught up after the kills');
  const allAccepted = [...outage.accepted, ...accepted];
  const counts = new Map<string, number>(
    ((await knex('events').where({ type: 'VerificationSubmitted' }).select(knex.raw("data->>'verificationId' AS id"))) as { id: string }[]).reduce(
      (map, { id }) => map.set(id, (map.get(id) ?? 0) + 1),
      new Map<string, number>(),
    ),
  );
  const lost = allAccepted.filter((id) => counts.get(id) === undefined).length;
  const duplicated = allAccepted.filter((id) => (counts.get(id) ?? 0) > 1).length;
  check(lost === 0 && duplicated === 0, `every accepted command is in the log exactly once (${allAccepted.length} accepted, ${lost} lost, ${duplicated} twice)`);

  log('clean build of the same log in another database, for comparison');
  const cleanUrl = await db.create('soak_clean');
  const clean = db.knex('soak_clean');
  const copied = await copyEventLogWithKeys(knex, clean);
  const cleanProjector = startProcess('projector', { DATABASE_URL: cleanUrl });
  processes.push(cleanProjector);
  await waitUntil(() => caughtUp(clean, head), 240_000, 'clean projector caught up');
  await cleanProjector.kill('SIGTERM');
  const { tables, differences: differing } = await readModelDifferences(knex, clean);
  for (const { table, rowsA, rowsB, onlyA, onlyB } of differing) {
    log(`  ${table}: ${rowsA ?? 'no'} rows after the kills, ${rowsB ?? 'no'} in the clean build`);
    for (const row of onlyA) log(`    only after the kills: ${row.slice(0, 300)}`);
    for (const row of onlyB) log(`    only in the clean build: ${row.slice(0, 300)}`);
  }
  check(tables >= 10 && differing.length === 0, `read models after ${OPTIONS.projectorKills} projector kills equal a clean build (${tables} tables, ${copied} events; differing: ${differing.map((d) => d.table).join(', ') || 'none'})`);
  check((await knex('projection_dead_letters').count({ n: '*' }))[0]!.n === 0, 'no dead letters');

  const report = {
    ranAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: { beforeLoad: loadAverageBefore, afterLoad: loadAverageAfter } },
    load: {
      connections: OPTIONS.connections,
      durationSec: OPTIONS.durationSec,
      mix: '90% reads (9 GET routes) / 10% POST /api/verifications',
      requests: result.requests.total,
      requestsPerSec: result.requests.average,
      ok2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      latencyMs: { average: result.latency.average, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      commandsAccepted: accepted.size,
      latencyByKind: latency.byKind(),
      latencyBySecond: latency.bySecond(),
      cpuSeconds,
      databaseWaits: waits,
      answerCache,
    },
    faults: {
      databaseOutageMs: OPTIONS.outageMs,
      outage: outage.summary,
      projectorKills: OPTIONS.projectorKills,
      projectorKillTimesSec: killTimes.map((t) => Math.round(t / 100) / 10),
    },
    eventsLost: lost,
    eventsDuplicated: duplicated,
    readModelsEqualCleanBuild: differing.length === 0,
    failures,
  };
  const out = resolve(REPO_ROOT, 'bench/results/load.json');
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${out}`);
}

async function databaseOutage(db: SoakDatabase, baseUrl: string, riders: Rider[], bikeIds: string[], partIds: string[], knex: Knex) {
  log(`outage: PostgreSQL stopped for ${OPTIONS.outageMs / 1000} s under traffic`);
  let phase: 'before' | 'outage' | 'after' = 'before';
  const seen: { phase: string; path: string; answer: Answer | undefined }[] = [];
  const observe = async (path: string, init: Parameters<typeof call>[2] = {}) => {
    const at = phase;
    const answer = await call(baseUrl, path, { ...init, timeoutMs: HANG_BOUND_MS });
    seen.push({ phase: at, path, answer });
    return answer;
  };
  let on = true;
  const readers = [0, 1, 2, 3].map(async (r) => {
    for (let n = 0; on; n++) {
      await observe([`/api/bikes`, `/api/parts/${partIds[n % partIds.length]}`, `/api/bikes/${bikeIds[n % bikeIds.length]}/parts`, '/ready'][(n + r) % 4]!);
      await sleep(50);
    }
  });
  const accepted: string[] = [];
  const writers = riders.slice(0, 8).map(async (rider, i) => {
    for (let j = 0; j < 6; j++) {
      const key = `soak-outage-${i}-${j}`;
      const body = { partId: partIds[(i * 7 + j) % partIds.length], bikeId: bikeIds[(i * 3 + j) % bikeIds.length], fits: j % 2 === 0 };
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const answer = await observe('/api/verifications', { method: 'POST', rider, body, headers: { 'idempotency-key': key } });
        if (answer?.status === 201) {
          accepted.push((answer.body as { verificationId: string }).verificationId);
          break;
        }
        await sleep(200);
      }
      await sleep(300);
    }
  });
  await sleep(1000);
  phase = 'outage';
  const stoppedAt = Date.now();
  await db.stop();
  await sleep(OPTIONS.outageMs);
  await db.start();
  phase = 'after';
  const restartedAfterMs = Date.now() - stoppedAt;
  await Promise.all(writers);
  const recoveredBy = Date.now() + 60_000;
  let recoveredInMs: number | undefined;
  while (Date.now() < recoveredBy) {
    const answers = await Promise.all(['/api/bikes', '/ready'].map((p) => call(baseUrl, p)));
    if (answers.every((a) => a?.status === 200)) {
      recoveredInMs = Date.now() - stoppedAt - restartedAfterMs;
      break;
    }
    await sleep(200);
  }
  on = false;
  await Promise.all(readers);

  const during = seen.filter((s) => s.phase === 'outage');
  const hung = seen.filter((s) => s.answer === undefined).length;
  const refused = seen.filter((s) => s.answer?.status === 0).length;
  const problem = (a: Answer | undefined) => /^application\/problem\+json/.test(a?.contentType ?? '');
  const unexpected = seen.filter(
    (s) => s.answer && s.answer.status >= 400 && !(s.answer.status === 503 && problem(s.answer)) && !(s.answer.status === 409 && /still being processed/.test(JSON.stringify(s.answer.body))),
  );
  const readyDown = seen.some((s) => s.path === '/ready' && s.answer?.status === 503 && (s.answer.body as { details?: { database?: { status?: string } } }).details?.database?.status === 'down');
  check(hung === 0, `no request hung past ${HANG_BOUND_MS / 1000} s (${seen.length} requests, ${during.length} during the outage)`);
  check(refused === 0, 'the API never dropped a connection');
  check(unexpected.length === 0, `every refusal was a 503 problem+json (or 409 "still being processed") — unexpected: ${JSON.stringify(unexpected.slice(0, 3).map((u) => [u.path, u.answer?.status]))}`);
  check(during.some((s) => s.answer?.status === 503), 'the API answered 503 while the database was down');
  check(readyDown, '/ready reported the database down');
  check(recoveredInMs !== undefined, `reads and /ready recovered by themselves (${recoveredInMs} ms after PostgreSQL was back)`);
  check(accepted.length === 48, `every outage-time command was eventually accepted (${accepted.length}/48)`);
  const head = await headPosition(knex);
  await waitUntil(() => caughtUp(knex, head), 60_000, 'projector resumed after the outage');
  const answered503 = during.filter((s) => s.answer?.status === 503).length;
  return { accepted, summary: { requests: seen.length, duringOutage: during.length, answered503, hung, recoveredInMs } };
}

/** The tail's sources, in the log: by route, the worst seconds (and whether a projector kill was near), CPU, database. */
function reportBreakdown(latency: LatencyBreakdown, killTimesMs: number[], cpu: ReturnType<ReturnType<typeof cpuSampler>>, waits: Awaited<ReturnType<Awaited<ReturnType<typeof watchDatabaseWaits>>>>): void {
  const all = latency.overall;
  log(`latency as timed by the soak: ${all.count} requests, p50 ${all.p50} ms, p90 ${all.p90} ms, p99 ${all.p99} ms, max ${all.max} ms`);
  log('  by kind (p50 / p90 / p99 / max ms, share of the requests over the overall p99):');
  for (const k of latency.byKind()) log(`    ${k.kind.padEnd(48)} n=${String(k.count).padStart(6)}  ${k.p50} / ${k.p90} / ${k.p99} / ${k.max}  tail ${(k.shareOfTail * 100).toFixed(1)}%`);
  const kills = killTimesMs.map((t) => Math.floor(t / 1000));
  const worst = [...latency.bySecond()].sort((a, b) => b.p99 - a.p99).slice(0, 8);
  log('  worst seconds of the run by p99 (K: a projector kill in this or the previous second):');
  for (const s of worst) {
    const slowest = latency.kindsIn(s.second).slice(0, 3).map((k) => `${k.kind} n=${k.count} p99 ${k.p99}`).join('; ');
    log(`    s${String(s.second).padStart(2)} ${kills.some((k) => s.second === k || s.second === k + 1) ? 'K' : ' '} n=${s.count} p50 ${s.p50} p99 ${s.p99} max ${s.max}  slowest: ${slowest}`);
  }
  if (cpu) log(`  CPU seconds over ${cpu.wallSec} s on ${cpu.cores} cores: API ${cpu.api}, PostgreSQL ${cpu.postgres}, load generator ${cpu.loadGenerator}, machine busy ${cpu.machineBusy} (the rest: projectors and other work)`);
  log(`  database: mean active sessions by wait: ${waits.activeSessions.map((w) => `${w.wait} ${w.mean}`).join(', ')}`);
  for (const st of waits.statements.slice(0, 5)) log(`    ${String(st.totalMs).padStart(9)} ms total, ${st.calls} calls, mean ${st.meanMs} max ${st.maxMs}: ${st.query.slice(0, 110)}`);
  log(`  database: ${waits.totals.calls} statements (${waits.totals.execMs} ms executing), ${waits.sessionsOpened} connections opened; most called:`);
  for (const st of waits.mostCalled.slice(0, 6)) log(`    ${String(st.calls).padStart(7)} calls, ${st.totalMs} ms total: ${st.query.slice(0, 110)}`);
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

main().then(
  () => {
    if (failures.length > 0) {
      log(`${failures.length} check(s) failed`);
      process.exit(1);
    }
    log('all checks passed');
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`soak failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
