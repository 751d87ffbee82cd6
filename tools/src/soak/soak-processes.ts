import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface SoakProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly exitedWith: () => string | undefined;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The real api or projector (`dist/main.js`) as a child process; output kept (bounded) for failure
 * reports. `MPP_CHILD_NODE_ARGS` (e.g. `--prof`) goes to each, as it does for the benchmarks' children.
 */
export function startProcess(name: 'api' | 'projector', env: Record<string, string>): SoakProcess {
  const nodeArgs = process.env['MPP_CHILD_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, resolve(REPO_ROOT, `apps/${name}/dist/main.js`)], {
    cwd: REPO_ROOT,
    // PROJECTOR_NICE passes through, so a soak can compare the projector stepping back with it not (docs/performance.md).
    env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'warn', JOBS_ENABLED: '0', ...pick(process.env, ['PROJECTOR_NICE']), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: string | undefined;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-30_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((done) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `code ${code}`;
      done();
    }),
  );
  return {
    name,
    pid: child.pid,
    exitedWith: () => exit,
    output: () => output,
    async kill(signal) {
      if (exit === undefined) child.kill(signal);
      await exited;
    },
  };
}

/** Polls until the API answers /health, or fails with its output. */
export async function waitForApi(baseUrl: string, api: SoakProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (api.exitedWith()) throw new Error(`the API exited (${api.exitedWith()}):\n${api.output()}`);
    const up = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return;
    await sleep(100);
  }
  throw new Error(`the API did not answer within ${timeoutMs} ms:\n${api.output()}`);
}

function pick(from: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (from[name] === undefined ? [] : [[name, from[name]]])));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
