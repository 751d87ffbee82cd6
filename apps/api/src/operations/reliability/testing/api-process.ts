import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = resolve(import.meta.dirname, '../../../../../..');
const API_MAIN = resolve(REPO_ROOT, 'apps/api/dist/main.js');

export interface ApiProcess {
  readonly pid: number;
  readonly baseUrl: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it wrote, for failure messages (bounded). */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Compiles the API (incremental `tsc -b`, seconds when nothing changed) so a test never runs a
 * stale `dist/`.
 */
export async function buildApi(): Promise<void> {
  const tsc = resolve(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-b', 'apps/api', 'apps/projector'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; message: string }) => {
      throw new Error(`tsc -b apps/api apps/projector failed:\n${error.stdout ?? error.message}`);
    },
  );
}

/** The real API (`node apps/api/dist/main.js`) as a child process; resolves once /health answers. */
export async function startApiProcess(options: { databaseUrl: string; port: number; env?: Record<string, string>; startTimeoutMs?: number }): Promise<ApiProcess> {
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      AUTH_DEV_LOGIN: '1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: options.databaseUrl,
      API_PORT: String(options.port),
      API_HOST: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  if (child.pid === undefined) throw new Error(`could not start ${API_MAIN}`);
  let running = true;
  void exited.then(() => (running = false));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (!running) throw new Error(`the API exited before it answered:\n${output}`);
    const up = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API did not answer /health within ${startTimeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid,
    baseUrl,
    exited,
    output: () => output,
    kill(signal) {
      if (running) child.kill(signal);
      return exited;
    },
  };
}
