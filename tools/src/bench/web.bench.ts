/**
 * Web benchmark: what a phone downloads before the site is interactive, and how long the SSR server
 * takes to render a bike page.
 *
 *   npm run bench:web                      200 renders against the in-memory stand-in API
 *   npm run bench:web -- --quick           50 renders
 *   npm run bench:web -- --smoke           5 renders, for the smoke test
 *   BENCH_API_URL=http://127.0.0.1:3000 BENCH_BIKE_SLUG=2021-yamaha-mt-07 npm run bench:web
 *                                          renders against a running real API (e.g. `npm start`)
 *
 * 1. Initial JavaScript: the scripts and module preloads the built index.csr.html (the page shell
 *    SSR fills in) references, plus its stylesheet, raw and compressed (gzip -9, brotli q11).
 * 2. SSR time of /bikes/:slug: the built server (apps/web/dist/web/server/server.mjs) runs as a child
 *    process; after a warm-up, one request at a time, wall time from request to last byte.
 * Writes web.json to bench/results (or BENCH_RESULTS_DIR). A benchmark reports, it never asserts on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { benchMode, machineInfo, writeBenchResult } from './bench-report.js';
import { BENCH_BIKE_SLUG, startBenchStubApi, type BenchStubApi } from './web-bench-stub-api.js';

const mode = benchMode();
const requests = { smoke: 5, quick: 50, full: 200 }[mode];
const warmUp = { smoke: 2, quick: 10, full: 30 }[mode];
/** Parts on the stand-in bike page: the demo catalog's busiest bikes have about this many. */
const stubPartCount = 40;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const webDist = join(repoRoot, 'apps/web/dist/web');

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

  const realApi = process.env['BENCH_API_URL'];
  const slug = realApi ? (process.env['BENCH_BIKE_SLUG'] ?? BENCH_BIKE_SLUG) : BENCH_BIKE_SLUG;
  let stub: BenchStubApi | undefined;
  let web: ChildProcess | undefined;
  try {
    stub = realApi ? undefined : await startBenchStubApi(stubPartCount);
    const apiUrl = realApi ?? stub!.url;
    const port = await freePort();
    web = await startBuiltServer(apiUrl, port);
    const url = `http://127.0.0.1:${port}/bikes/${encodeURIComponent(slug)}`;
    const first = await fetch(url);
    const html = await first.text();
    if (first.status !== 200) throw new Error(`GET ${url} answered ${first.status}; is the bike in the API?`);
    for (let i = 0; i < warmUp; i++) await (await fetch(url)).arrayBuffer();
    const samples: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = process.hrtime.bigint();
      const response = await fetch(url);
      await response.arrayBuffer();
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (response.status !== 200) throw new Error(`render ${i} answered ${response.status}`);
    }

    const report = {
      benchmark: 'web',
      mode,
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      versions: { node: process.version, angular: JSON.parse(readFileSync(join(repoRoot, 'node_modules/@angular/core/package.json'), 'utf8')).version as string },
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
        path: `/bikes/${slug}`,
        api: realApi ? { kind: 'real', url: realApi } : { kind: 'in-memory stand-in (tools/src/bench/web-bench-stub-api.ts)', parts: stubPartCount },
        requests,
        warmUp,
        concurrency: 1,
        htmlBytes: Buffer.byteLength(html),
        latencyMs: percentiles(samples),
      },
    };
    const resultsFile = writeBenchResult('web', report);

    const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
    console.log(`\nweb benchmark (${report.mode}), ${report.machine.cpus} cores, node ${process.version}`);
    console.log(`initial JavaScript: ${scripts.length} files, ${kb(report.initialJavaScript.rawBytes)} raw, ${kb(report.initialJavaScript.gzipBytes)} gzip, ${kb(report.initialJavaScript.brotliBytes)} brotli`);
    const latency = report.ssr.latencyMs;
    console.log(`SSR ${report.ssr.path} (${realApi ? 'real API' : 'stand-in API'}, ${requests} requests, one at a time): p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, max ${latency.max} ms`);
    console.log(`written to ${resultsFile}`);
  } finally {
    await stopChild(web);
    await stub?.close();
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

async function startBuiltServer(apiUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(webDist, 'server/server.mjs')], {
    env: { ...process.env, WEB_HOST: '127.0.0.1', WEB_PORT: String(port), API_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web server did not start in 15 s:\n${output}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"web listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the web server exited with code ${code}:\n${output}`));
    });
  });
  return child;
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
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

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted.at(-1)!), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length) };
}

function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
