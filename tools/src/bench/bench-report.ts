import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';

/**
 * What every benchmark shares: its mode, where its JSON goes, the machine it ran on, and the
 * statistics it reports. A benchmark reports; it never asserts on time.
 */

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/**
 * `smoke`: tiny data, seconds, only proves the code path runs (the e2e smoke test);
 * `quick`: a fraction of the work, so `npm run bench -- --quick` fits in minutes on 2 cores;
 * `full`: the documented sizes.
 */
export type BenchMode = 'smoke' | 'quick' | 'full';

export function benchMode(argv: readonly string[] = process.argv): BenchMode {
  if (argv.includes('--smoke')) return 'smoke';
  if (argv.includes('--quick')) return 'quick';
  return 'full';
}

/** `BENCH_RESULTS_DIR` lets the smoke test write elsewhere, so `npm test` never overwrites bench/results/. */
export function resultsDirectory(): string {
  return resolve(process.env['BENCH_RESULTS_DIR'] ?? join(REPO_ROOT, 'bench/results'));
}

export function writeBenchResult(name: string, report: unknown): string {
  const dir = resultsDirectory();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`);
  return file;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  totalMemoryBytes: number;
  platform: string;
  arch: string;
  node: string;
  /** Other work on the machine while the benchmark started (1-minute load average). */
  loadAverage1m: number;
}

export function machineInfo(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    node: process.version,
    loadAverage1m: round(os.loadavg()[0] ?? 0, 2),
  };
}

/** The installed version of a package, read from its package.json (some packages do not export it). */
export function packageVersion(name: string): string {
  const file = join(REPO_ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentiles(values: readonly number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 2);
  const mean = values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1] ?? 0, 2), mean: round(mean, 2) };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `a / b`, rounded, or null when b is 0 (a ratio of nothing is no ratio). */
export function ratio(a: number, b: number, digits = 3): number | null {
  return b === 0 ? null : round(a / b, digits);
}

export function elapsedSeconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
