import { spawn, type ChildProcess } from 'node:child_process';

export interface ManagedChild {
  name: string;
  process: ChildProcess;
}

/**
 * `MPP_CHILD_NODE_ARGS` (space-separated, e.g. `--prof`), for every Node child of the benchmarks and
 * the soak: how their servers are profiled (docs/performance.md).
 */
export function childNodeArgs(): string[] {
  return process.env['MPP_CHILD_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
}

/** The projector's settings a benchmark or soak run compares (docs/performance.md), as the shell set them. */
const PROJECTOR_SETTINGS = ['PROJECTOR_LEASES', 'PROJECTOR_NICE'] as const;

/** Those of the projector's settings the shell sets, to pass on to the children of a run. */
export function projectorSettingsFromShell(): Record<string, string> {
  return Object.fromEntries(PROJECTOR_SETTINGS.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}

/** Starts a Node program with the same Node binary, prefixing its output with its name. */
export function startNodeChild(name: string, script: string, env: NodeJS.ProcessEnv, onExit: (code: number | null) => void): ManagedChild {
  const child = spawn(process.execPath, [...childNodeArgs(), '--enable-source-maps', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${name}] ${line}\n`)
      .join('');
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.on('exit', onExit);
  return { name, process: child };
}

export async function stopChildren(children: ManagedChild[], graceMs = 5000): Promise<void> {
  await Promise.all(
    children.map(
      ({ process: child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Polls a URL until it answers 2xx, or gives up after the timeout. */
export async function waitForHttp(url: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process behind ${url} exited before it was ready`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
