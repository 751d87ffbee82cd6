/**
 * `npm run bench`: every benchmark, one after another, in one run on this machine, then
 * bench/results/SUMMARY.md from the JSON they wrote.
 *
 *   npm run bench                 the documented sizes (1,000,000 events for the projection rebuild,
 *                                 100,000 parts for search, 100,000 generated events behind the API,
 *                                 30 s of load per server); takes hours on 2 cores
 *   npm run bench -- --quick      the same comparisons on less data; under 10 minutes on 2 cores
 *   npm run bench -- --smoke      tiny data, about a minute: proves every benchmark runs (the e2e smoke test)
 *
 * Each benchmark is its own Node process (its own PostgreSQL, nothing left over from the previous
 * one) with a time limit; one that fails or overruns is reported, and the others still run.
 * BENCH_RESULTS_DIR sends every file elsewhere (the smoke test uses a temporary directory).
 * Exit code 1 if any benchmark failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSummary, type BenchRun } from './bench-summary.js';
import { benchMode, elapsedSeconds, machineInfo, REPO_ROOT, resultsDirectory, round, writeBenchResult } from './bench-report.js';

interface Benchmark {
  name: string;
  script: string;
  args: string[];
  /** The JSON files it writes, without `.json`. */
  results: string[];
  /** Why it cannot run here, if it cannot. */
  unavailable?: () => string | undefined;
}

const mode = benchMode();
const modeFlag = mode === 'full' ? [] : [`--${mode}`];
const LIMIT_SECONDS = { smoke: 120, quick: 300, full: 6 * 3600 }[mode];
/** The projection benchmark's own sizes: 100,000 events in quick mode, 1,000,000 in full; 1,000 to smoke-test it. */
const PROJECTION_EVENTS = { smoke: ['--events', '1000'], quick: ['--quick'], full: [] }[mode];
const API_GENERATED_EVENTS = 100_000;
const webBuild = join(REPO_ROOT, 'apps/web/dist/web/browser/index.csr.html');

const BENCHMARKS: Benchmark[] = [
  { name: 'event store appends', script: 'event-store.bench.js', args: modeFlag, results: ['event-store'] },
  {
    name: 'projection rebuild',
    script: 'projections.bench.js',
    args: PROJECTION_EVENTS,
    results: ['projections'],
    unavailable: () => (existsSync(join(REPO_ROOT, 'tools/dist/bench/projections.bench.js')) ? undefined : 'tools/dist/bench/projections.bench.js is not built'),
  },
  {
    name: 'bike parts read + command-to-visible',
    script: 'api.bench.js',
    // The full run loads scale data (hundreds of parts per bike) instead of the demo catalog.
    args: mode === 'full' ? ['--generated-events', String(API_GENERATED_EVENTS)] : modeFlag,
    results: ['bike-parts', 'command-to-visible'],
  },
  { name: 'search latency', script: 'search.bench.js', args: modeFlag, results: ['search'] },
  {
    name: 'web (initial JS, SSR)',
    script: 'web.bench.js',
    args: modeFlag,
    results: ['web'],
    unavailable: () => (existsSync(webBuild) ? undefined : 'no production build of apps/web (run "npm run build:web" first)'),
  },
];

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const outDir = resultsDirectory();
  const run: BenchRun = { mode, startedAt: new Date().toISOString(), machine: machineInfo(), resultsDirectory: outDir, benchmarks: [] };
  console.log(`[bench] ${mode} run of ${BENCHMARKS.length} benchmarks on ${run.machine.cpus} cores (${run.machine.cpuModel}); results in ${outDir}`);
  for (const benchmark of BENCHMARKS) {
    const reason = interrupted ? 'the run was interrupted' : benchmark.unavailable?.();
    if (reason) {
      console.log(`[bench] skipping ${benchmark.name}: ${reason}`);
      run.benchmarks.push({ name: benchmark.name, status: 'skipped', reason, seconds: 0, results: [] });
      continue;
    }
    console.log(`\n[bench] ${benchmark.name}: node tools/dist/bench/${benchmark.script} ${benchmark.args.join(' ')}`);
    const benchStarted = process.hrtime.bigint();
    const since = Date.now();
    const outcome = await runChild(join(REPO_ROOT, 'tools/dist/bench', benchmark.script), benchmark.args);
    const written = benchmark.results.filter((name) => writtenSince(join(outDir, `${name}.json`), since));
    const missing = benchmark.results.filter((name) => !written.includes(name));
    const status = outcome.code === 0 && missing.length === 0 ? 'ok' : 'failed';
    run.benchmarks.push({
      name: benchmark.name,
      status,
      ...(status === 'failed' ? { reason: outcome.timedOut ? `over its limit of ${LIMIT_SECONDS} s` : `exit code ${outcome.code}${missing.length ? `, did not write ${missing.join(', ')}` : ''}` } : {}),
      seconds: round(elapsedSeconds(benchStarted), 1),
      results: written,
    });
    console.log(`[bench] ${benchmark.name}: ${status} in ${round(elapsedSeconds(benchStarted), 1)} s`);
  }
  run.finishedAt = new Date().toISOString();
  run.seconds = round(elapsedSeconds(started), 1);
  writeBenchResult('run', run);
  const results: Record<string, unknown> = {};
  for (const entry of run.benchmarks) for (const name of entry.results) results[name] = JSON.parse(readFileSync(join(outDir, `${name}.json`), 'utf8'));
  writeFileSync(join(outDir, 'SUMMARY.md'), renderSummary(run, results));
  console.log(`\n[bench] ${mode} run finished in ${run.seconds} s; written ${join(outDir, 'SUMMARY.md')}`);
  if (run.benchmarks.some((b) => b.status === 'failed')) process.exitCode = 1;
}

function writtenSince(file: string, since: number): boolean {
  return existsSync(file) && statSync(file).mtimeMs >= since;
}

let current: ReturnType<typeof spawn> | undefined;
let interrupted = false;

function runChild(script: string, args: string[]): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, BENCH_RESULTS_DIR: resultsDirectory() }, stdio: 'inherit' });
    current = child;
    let timedOut = false;
    const terminate = () => {
      timedOut = true;
      child.kill('SIGTERM');
      // A benchmark gets time to stop its servers; after that it is killed.
      setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
    };
    const timer = setTimeout(terminate, LIMIT_SECONDS * 1000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code, timedOut });
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    current?.kill('SIGTERM');
    process.exitCode = 130;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
