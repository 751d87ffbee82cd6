/**
 * Web benchmark: what a phone downloads before the site is interactive, and how the SSR server
 * serves a bike page under load, with its page cache on and off.
 *
 *   npm run bench:web                      demo catalog, 8 connections, 30 s per case
 *   npm run bench:web -- --quick           demo catalog, 8 connections, 10 s per case
 *   npm run bench:web -- --smoke           one model of the demo catalog, 2 s per case
 *
 * 1. Initial JavaScript: the scripts and module preloads the built index.csr.html (the page shell
 *    SSR fills in) references, plus its stylesheet, raw and compressed (gzip -9, brotli q11).
 * 2. SSR of /bikes/2021-yamaha-mt-07 against the real back end: PostgreSQL (embedded, or
 *    DATABASE_URL), the built projector and API (production mode) seeded with the demo catalog, and
 *    the built server (apps/web/dist/web/server/server.mjs). autocannon, 8 connections, for a fixed
 *    time after a warm-up: once with the page cache (every hit still revalidates the page's API
 *    answers with conditional GETs), once with WEB_PAGE_CACHE=0 (every request renders).
 * Writes web.json to bench/results (or BENCH_RESULTS_DIR). A benchmark reports, it never asserts on time.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import autocannon, { type Result } from 'autocannon';
import { createKnex, migrateToLatest } from '@mpp/db';
import { DEMO_CATALOG } from '../demo/demo-catalog.js';
import { DEMO_ADMIN, seedDemo } from '../demo/seed-demo.js';
import { startNodeChild, stopChildren, waitForHttp, type ManagedChild } from '../dev/child-processes.js';
import { BenchApiSession } from './bench-api-session.js';
import { benchApiEnv, benchCommonEnv } from './bench-api-env.js';
import { freePort, startBenchPostgres } from './bench-postgres.js';
import { benchMode, machineInfo, percentiles, REPO_ROOT, round, writeBenchResult } from './bench-report.js';
import { demoCatalogSlice } from './demo-slice.js';

const mode = benchMode();
const CONNECTIONS = 8;
const settings = { smoke: { warmUpSeconds: 1, seconds: 2 }, quick: { warmUpSeconds: 3, seconds: 10 }, full: { warmUpSeconds: 5, seconds: 30 } }[mode];
const BIKE_SLUG = '2021-yamaha-mt-07';
const webDist = join(REPO_ROOT, 'apps/web/dist/web');

interface AssetSize {
  file: string;
  kind: 'script' | 'modulepreload' | 'stylesheet';
  rawBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

async function main(): Promise<void> {
  const shell = join(webDist, 'browser/index.csr.html');
  if (!existsSync(shell) || !existsSync(join(webDist, 'server/server.mjs'))) {
    throw new Error(`${webDist} has no production build: run "npm run build:web" first (npm run bench:web does).`);
  }
  const assets = initialAssets(readFileSync(shell, 'utf8'));
  const scripts = assets.filter((asset) => asset.kind !== 'stylesheet');
  const sum = (list: AssetSize[], key: 'rawBytes' | 'gzipBytes' | 'brotliBytes') => list.reduce((total, asset) => total + asset[key], 0);

  const postgres = await startBenchPostgres();
  const children: ManagedChild[] = [];
  let stopping = false;
  const start = (name: string, script: string, env: Record<string, string>) => {
    const child: ManagedChild = startNodeChild(name, resolve(REPO_ROOT, script), { PATH: process.env['PATH'] ?? '', ...env }, (code) => {
      if (!stopping && children.includes(child)) console.error(`[bench] ${name} exited early (code ${code})`);
    });
    children.push(child);
    return child;
  };
  const stop = async (child: ManagedChild) => {
    children.splice(children.indexOf(child), 1);
    await stopChildren([child]);
  };
  const alive = (child: ManagedChild) => () => child.process.exitCode === null && child.process.signalCode === null;
  try {
    const databaseUrl = await postgres.createDatabase('web');
    const knex = createKnex(databaseUrl, { applicationName: 'mpp-bench-migrate' });
    await migrateToLatest(knex).finally(() => knex.destroy());
    const common = benchCommonEnv(databaseUrl);
    const apiEnv = (port: number) => benchApiEnv(common, port);
    start('projector', 'apps/projector/dist/main.js', { ...common, NODE_ENV: 'production' });
    // Seeding needs the dev sign-in, which production mode never has; the measured API runs in production mode.
    const devPort = await freePort();
    const devApi = start('api (seeding)', 'apps/api/dist/main.js', { ...apiEnv(devPort), NODE_ENV: 'development', AUTH_DEV_LOGIN: '1' });
    const devUrl = `http://127.0.0.1:${devPort}`;
    await waitForHttp(`${devUrl}/health`, 60_000, alive(devApi));
    const seededPosition = await seed(devUrl);
    await stop(devApi);
    const apiPort = await freePort();
    const api = start('api', 'apps/api/dist/main.js', { ...apiEnv(apiPort), NODE_ENV: 'production' });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${apiUrl}/health`, 60_000, alive(api));
    await waitUntilProjected(`${apiUrl}/api/bikes/${BIKE_SLUG}/parts`, seededPosition);

    const path = `/bikes/${BIKE_SLUG}`;
    const cached = await measureWeb(start, stop, alive, apiUrl, path, true);
    const uncached = await measureWeb(start, stop, alive, apiUrl, path, false);

    const load = os.loadavg().map((value) => round(value, 2));
    const report = {
      benchmark: 'web',
      mode,
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      loadAverageAtEnd: load,
      versions: { node: process.version, angular: JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@angular/core/package.json'), 'utf8')).version as string },
      initialJavaScript: {
        source: 'apps/web/dist/web/browser/index.csr.html: <script src> and <link rel="modulepreload">',
        files: scripts.length,
        rawBytes: sum(scripts, 'rawBytes'),
        gzipBytes: sum(scripts, 'gzipBytes'),
        brotliBytes: sum(scripts, 'brotliBytes'),
      },
      initialCss: { rawBytes: sum(assets.filter((a) => a.kind === 'stylesheet'), 'rawBytes'), gzipBytes: sum(assets.filter((a) => a.kind === 'stylesheet'), 'gzipBytes') },
      assets,
      ssr: {
        path,
        api: { kind: 'real', catalog: mode === 'smoke' ? 'demo slice (MT-07)' : 'demo', database: postgres.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL' },
        connections: CONNECTIONS,
        warmUpSeconds: settings.warmUpSeconds,
        seconds: settings.seconds,
        pageCacheOn: cached,
        pageCacheOff: uncached,
      },
    };
    const resultsFile = writeBenchResult('web', report);

    const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
    console.log(`\nweb benchmark (${report.mode}), ${report.machine.cpus} cores, load ${load.join(' ')}, node ${process.version}`);
    console.log(`initial JavaScript: ${scripts.length} files, ${kb(report.initialJavaScript.rawBytes)} raw, ${kb(report.initialJavaScript.gzipBytes)} gzip, ${kb(report.initialJavaScript.brotliBytes)} brotli`);
    for (const [label, run] of [['page cache on ', cached], ['page cache off', uncached]] as const) {
      console.log(
        `SSR ${path} (real API, ${CONNECTIONS} connections, ${run.seconds} s), ${label}: ${run.requestsPerSecond} req/s, p50 ${run.latencyMs.p50} ms, p95 ${run.latencyMs.p95} ms, p99 ${run.latencyMs.p99} ms, max ${run.latencyMs.max} ms (${run.non2xx} non-2xx, ${run.errors} errors)`,
      );
    }
    console.log(`written to ${resultsFile}`);
  } finally {
    stopping = true;
    await stopChildren(children.splice(0));
    await postgres.dispose();
  }
}

/** The demo through real commands; in smoke mode only the MT-07 (one import), so it takes seconds. */
async function seed(apiUrl: string): Promise<number> {
  if (mode !== 'smoke') {
    const report = await seedDemo(apiUrl, { now: new Date(), log: (line) => console.log(`[demo] ${line}`) });
    return report.position;
  }
  const admin = new BenchApiSession(apiUrl);
  await admin.signIn(DEMO_ADMIN.email, DEMO_ADMIN.displayName, 'admin');
  const imported = (await admin.post('/api/admin/catalog/import', demoCatalogSlice(DEMO_CATALOG.bikes.filter((bike) => bike.model === 'MT-07')))) as { position: number };
  return imported.position;
}

/** The web renders without X-Min-Position, so the read models must reach the seeding first (bounded). */
async function waitUntilProjected(url: string, position: number): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const response = await fetch(url, { headers: { 'X-Min-Position': String(position) } });
    await response.arrayBuffer();
    if (response.ok && response.headers.get('x-consistent') === 'true') return;
  }
  throw new Error(`the projections did not reach position ${position}`);
}

type Start = (name: string, script: string, env: Record<string, string>) => ManagedChild;

async function measureWeb(start: Start, stop: (child: ManagedChild) => Promise<void>, alive: (child: ManagedChild) => () => boolean, apiUrl: string, path: string, pageCache: boolean) {
  const port = await freePort();
  const web = start(pageCache ? 'web (page cache)' : 'web (no page cache)', 'apps/web/dist/web/server/server.mjs', {
    NODE_ENV: 'production',
    WEB_HOST: '127.0.0.1',
    WEB_PORT: String(port),
    API_URL: apiUrl,
    WEB_PAGE_CACHE: pageCache ? '1' : '0',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/robots.txt`, 30_000, alive(web));
    const first = await fetch(base + path);
    const html = await first.text();
    if (first.status !== 200) throw new Error(`GET ${path} answered ${first.status}; is the bike in the API?`);
    // Each response's own time, so the percentiles include p95 (autocannon's summary stops at p90 and p97.5).
    const run = (seconds: number, samples?: number[]) =>
      new Promise<Result>((done, fail) => {
        const instance = autocannon({ url: base + path, connections: CONNECTIONS, pipelining: 1, duration: seconds, timeout: 30 }, (error, result) =>
          error ? fail(error) : done(result),
        );
        instance.on('response', (_client, _status, _bytes, responseTime) => samples?.push(responseTime));
      });
    await run(settings.warmUpSeconds);
    const cacheHeader = (await fetch(base + path)).headers.get('x-page-cache');
    const samples: number[] = [];
    const result = await run(settings.seconds, samples);
    return {
      pageCache: pageCache ? 'on' : 'off',
      xPageCacheAfterWarmUp: cacheHeader,
      htmlBytes: Buffer.byteLength(html),
      requests: result.requests.total,
      seconds: result.duration,
      requestsPerSecond: round(result.requests.total / result.duration, 1),
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      latencyMs: percentiles(samples),
    };
  } finally {
    await stop(web);
  }
}

function initialAssets(html: string): AssetSize[] {
  const found: { file: string; kind: AssetSize['kind'] }[] = [];
  for (const match of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) found.push({ file: match[1]!, kind: 'script' });
  for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) found.push({ file: match[1]!, kind: 'modulepreload' });
  // The critical CSS is inlined; the full sheet loads without blocking, but it is still downloaded at once.
  const sheets = new Set([...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((match) => match[1]!));
  for (const file of sheets) found.push({ file, kind: 'stylesheet' });
  return found.map(({ file, kind }) => {
    const content = readFileSync(join(webDist, 'browser', file));
    return {
      file,
      kind,
      rawBytes: content.length,
      gzipBytes: gzipSync(content, { level: 9 }).length,
      brotliBytes: brotliCompressSync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
