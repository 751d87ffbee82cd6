import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { childNodeArgs, projectorSettingsFromShell } from '../dev/child-processes.js';

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
  const child: ChildProcess = spawn(process.execPath, [...childNodeArgs(), resolve(REPO_ROOT, `apps/${name}/dist/main.js`)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'warn', JOBS_ENABLED: '0', ...projectorSettingsFromShell(), ...env },
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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
