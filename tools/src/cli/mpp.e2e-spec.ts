import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ProjectionStatus } from '@mpp/projection-runner';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { bikeRegistered, partCataloged, verificationSubmitted } from '../../../projections/src/testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../../../projections/src/testing/projection-harness.js';
import { databaseUrlOf } from './testing/cli-test-context.js';

const REPO_ROOT = resolve(__dirname, '../../..');
const CLI = join(REPO_ROOT, 'tools/dist/cli/mpp.js');

/** The compiled CLI is what `npm run mpp` runs; build it now so the test never runs a stale one. */
function buildCli(): string | undefined {
  try {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tools'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? (error as Error).message).split('\n').slice(0, 3).join(' | ');
    return `tsc -b tools failed, so there is no up-to-date tools/dist/cli/mpp.js to spawn: ${output}`;
  }
  return existsSync(CLI) ? undefined : `tsc -b tools did not produce ${CLI}`;
}

const notBuilt = buildCli();
const spawned = notBuilt === undefined ? it : it.skip;
if (notBuilt) process.stderr.write(`mpp.e2e-spec: skipping the spawned-CLI tests: ${notBuilt}\n`);

function mpp(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

describe(`node tools/dist/cli/mpp.js${notBuilt ? ` (skipped: ${notBuilt})` : ''}`, () => {
  let harness: ProjectionHarness;
  let url: string;
  const bike = bikeRegistered();
  const part = partCataloged();
  const submitted = verificationSubmitted({ partId: part.data.partId, bikeId: bike.data.bikeId }, { userId: 'rider-1', fits: true });

  beforeAll(async () => {
    harness = await startProjectionHarness(ALL_PROJECTIONS);
    url = databaseUrlOf(harness.knex);
    await harness.given(bike, part, submitted);
  });
  afterAll(() => harness?.close());

  spawned('lists every projection as JSON, with the database from DATABASE_URL', async () => {
    const { code, stdout } = await mpp(['projections', 'list', '--json'], url);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { items: ProjectionStatus[] };
    expect(listed.items.map((item) => item.name)).toEqual(ALL_PROJECTIONS.map((p) => p.name));
  });

  spawned('exports NDJSON on stdout only, with its summary on stderr', async () => {
    const { code, stdout, stderr } = await mpp(['events', 'export', '--type', 'VerificationSubmitted'], url);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').map((line) => JSON.parse(line).data)).toEqual([submitted.data]);
    expect(stderr).toBe('exported 1 of 3 events read\n');
  });

  spawned('exits 1 and names the link when a fitment event was tampered with', async () => {
    expect((await mpp(['audit', 'verify'], url)).code).toBe(0);
    // The log refuses UPDATE (migration 0011b); a superuser can switch triggers off, so the chain must still catch it.
    await harness.knex.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx.raw(`UPDATE events SET data = jsonb_set(data, '{fits}', 'false') WHERE type = 'VerificationSubmitted'`);
    });
    const { code, stdout } = await mpp(['audit', 'verify'], url);
    expect(code).toBe(1);
    expect(stdout).toMatch(/fitment-\S+\s+0\s+[0-9a-f-]{36}\s+hash_mismatch/);
  });

  spawned('exits 2 on bad usage', async () => {
    const { code, stderr } = await mpp(['projections', 'replay', 'catalog', '--schema', 'public'], url);
    expect(code).toBe(2);
    expect(stderr).toContain('schema public is a schema the product or PostgreSQL uses');
  });
});
