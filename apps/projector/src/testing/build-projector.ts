import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './repo-paths.js';

/**
 * Compiles the projector the e2e tests run as a child process. `tsc -b` is incremental, so this
 * costs a few seconds when nothing changed and guarantees the test never runs a stale `dist/`.
 */
export async function buildProjector(): Promise<void> {
  const tsc = resolve(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-b', 'apps/projector'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; message: string }) => {
      throw new Error(`tsc -b apps/projector failed:\n${error.stdout ?? error.message}`);
    },
  );
}
