import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');
const CLI = join(REPO_ROOT, 'tools/dist/cli/mpp.js');

/**
 * The compiled CLI is what `npm run mpp` runs; build it now so a test never runs a stale one.
 * A failed build fails the tests that spawn it, with the compiler's words: a broken CLI is not a
 * reason to skip.
 */
export function buildCli(): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tools'], { cwd: REPO_ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`tsc -b tools failed, so there is no up-to-date ${CLI} to spawn:\n${stdout}${stderr}`));
      else if (!existsSync(CLI)) reject(new Error(`tsc -b tools did not produce ${CLI}`));
      else resolvePromise();
    });
  });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node tools/dist/cli/mpp.js …` with DATABASE_URL set, from `cwd` (default the repo root). */
export function spawnMpp(args: string[], databaseUrl: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env, DATABASE_URL: databaseUrl } }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}
