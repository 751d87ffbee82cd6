import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { generateIntoStore, planForEvents } from '@mpp/generator';
import { buildProjector, headPosition, killAllProjectorProcesses, startProjectorProcess, waitFor, type ProjectorProcess } from '@mpp/projector/testing';
import { buildCli, REPO_ROOT, spawnMpp } from './testing/spawned-cli.js';

const NAME = 'price-spread-daily';

/** The same statistic in plain SQL over the analytics view: what the deployed projection must serve. */
const SPREAD_BY_SQL = `
  SELECT part_id::text, to_char((observed_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, currency,
         min(price_cents)::bigint AS min_cents, max(price_cents)::bigint AS max_cents, count(*)::int AS observations
    FROM analytics.price_observed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
const SPREAD_SERVED = `
  SELECT part_id::text, to_char(day, 'YYYY-MM-DD') AS day, currency, min_cents, max_cents, observations
    FROM public.price_spread_daily ORDER BY 1, 2, 3`;

/**
 * `mpp projections deploy --file` against a running projector (a child process): the projector
 * builds the file's projection as a new generation and serves it only once caught up. The switch
 * is held back (the test holds the advisory lock the switch takes) so that the moment between
 * "caught up" and "serving" can be looked at: nothing is served before it.
 */
describe('deploying a projection file to a running projector', () => {
  let db: TestDatabase;
  let projector: ProjectorProcess;
  let switchLock: pg.Client;
  let file: string;

  beforeAll(async () => {
    await buildCli();
    await buildProjector();
    db = await createTestDatabase();
    await generateIntoStore({ connectionString: db.url, plan: planForEvents(4_000), seed: 'deploy' });
    file = join(await mkdtemp(join(tmpdir(), 'mpp-deploy-')), 'price-spread.projection.ts');
    await copyFile(join(REPO_ROOT, 'docs/examples/price-spread.projection.ts'), file);
    projector = startProjectorProcess(db.projectorUrl, { logLevel: 'info' });
    switchLock = new pg.Client({ connectionString: db.url });
    await switchLock.connect();
  }, 180_000);
  afterAll(async () => {
    await switchLock?.end();
    await killAllProjectorProcesses();
    await db?.drop();
  });

  it('builds it as a new generation and serves it only after it caught up, then logs that it serves', async () => {
    const deployed = await spawnMpp(['projections', 'deploy', '--file', file], db.url);
    expect(deployed).toMatchObject({ code: 0, stdout: expect.stringContaining(`deployed ${NAME} v1 (2 specs pass): the projector builds it as generation 1`) });
    // The switch to a new generation takes this lock; holding it lets the build finish but not serve.
    await switchLock.query('SELECT pg_advisory_lock(hashtext($1))', [`projection-generation:${NAME}`]);

    const head = await headPosition(db.knex);
    const generation = async () => (await db.knex('projection_checkpoints').where({ projection: NAME, generation: 1 }).first('state', 'position')) as { state: string; position: string };
    await waitFor(async () => BigInt((await generation()).position) >= head, { timeoutMs: 120_000, describe: async () => `${JSON.stringify(await generation())}\n${projector.output()}` });

    // Caught up, but not switched: nothing is served, so no query ever saw a partial table.
    expect((await generation()).state).toBe('building');
    expect((await db.knex.raw("SELECT to_regclass('public.price_spread_daily') AS view")).rows).toEqual([{ view: null }]);
    expect(projector.output()).not.toContain(`${NAME}: generation 1 caught up and now serves`);

    await switchLock.query('SELECT pg_advisory_unlock(hashtext($1))', [`projection-generation:${NAME}`]);
    await waitFor(async () => (await generation()).state === 'active', { timeoutMs: 30_000, describe: () => projector.output() });
    const expected = (await db.knex.raw(SPREAD_BY_SQL)).rows as unknown[];
    expect(expected.length).toBeGreaterThan(10);
    expect((await db.knex.raw(SPREAD_SERVED)).rows).toEqual(expected);
    await waitFor(async () => projector.output().includes(`${NAME}: generation 1 caught up and now serves`), { timeoutMs: 10_000, describe: () => projector.output() });
  });

  it('answers a second deploy of the same code with nothing to do, and refuses changed code without a new version', async () => {
    const again = await spawnMpp(['projections', 'deploy', '--file', file], db.url);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('deployed with exactly this code already') });
    const changed = join(tmpdir(), `changed-${Date.now()}.projection.ts`);
    await writeFile(changed, `${await readFile(file, 'utf8')}\n// changed\n`);
    const refused = await spawnMpp(['projections', 'deploy', '--file', changed], db.url);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining(`${NAME} v1 is already deployed with other code: bump its version`) });
  });
});
