import { spawnSync } from 'node:child_process';

export interface CommandResult {
  ok: boolean;
  /** The first line worth showing: stderr, else stdout, else why it did not run. */
  reason: string;
}

/** Runs a docker command to completion, never longer than `timeoutMs` (an unreachable DOCKER_HOST must not hang us). */
export function runDocker(args: readonly string[], timeoutMs = 15_000): CommandResult {
  const result = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the docker client is not installed' : code === 'ETIMEDOUT' ? `docker ${args.join(' ')} did not answer within ${timeoutMs / 1000} s` : result.error.message;
    return { ok: false, reason };
  }
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((line) => line.trim()).find((line) => line.length > 0);
  return { ok: result.status === 0, reason: output ?? `exit code ${result.status}` };
}

/**
 * Why `docker compose` cannot start containers here, or undefined when it can: the client, the
 * compose plugin and a reachable engine are all needed.
 */
export function dockerComposeUnavailable(): string | undefined {
  const compose = runDocker(['compose', 'version']);
  if (!compose.ok) return `docker compose is not available (${compose.reason})`;
  const engine = runDocker(['version', '--format', '{{.Server.Version}}']);
  if (!engine.ok) return `no Docker engine is reachable (${engine.reason})`;
  return undefined;
}
