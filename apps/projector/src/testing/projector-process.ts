import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECTOR_MAIN, REPO_ROOT } from './repo-paths.js';

export interface ProjectorProcess {
  readonly pid: number;
  /** Resolves when the process has exited, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it wrote to stderr and stdout, for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (a graceful shutdown), and SIGKILL should it not have exited within 10 s. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** For afterAll: a failed assertion must not leave projectors running after the test. */
export async function killAllProjectorProcesses(): Promise<void> {
  await Promise.all([...running].map((child) => new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  })));
}

/** The real projector (`node apps/projector/dist/main.js`) as a child process on one database. */
export function startProjectorProcess(databaseUrl: string, options: { logLevel?: string } = {}): ProjectorProcess {
  const child: ChildProcess = spawn(process.execPath, [PROJECTOR_MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: options.logLevel ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    // Bounded: a projector failing in a loop must not fill the test's memory.
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  if (child.pid === undefined) throw new Error(`could not start ${PROJECTOR_MAIN}`);
  running.add(child);
  void exited.then(() => running.delete(child));
  return {
    pid: child.pid,
    exited,
    output: () => output,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
