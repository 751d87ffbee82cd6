import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ProjectionStatus } from '@mpp/projection-runner';
import { databaseUrlOf, findFreePort } from '@mpp/testing';
import { ALL_PROJECTIONS, SEARCH_INDEX, VERIFICATION_RECEIPTS } from '@mpp/projections';
import { bikeRegistered, partCataloged, verificationSubmitted, startProjectionHarness, type ProjectionHarness } from '@mpp/projections/testing';
import { buildCli, spawnMpp } from './testing/spawned-cli.js';


const mpp = (args: string[], databaseUrl: string) => spawnMpp(args, databaseUrl);

describe(`node tools/dist/cli/mpp.js`, () => {
  let harness: ProjectionHarness;
  let url: string;
  const bike = bikeRegistered();
  const part = partCataloged();
  const submitted = verificationSubmitted({ partId: part.data.partId, bikeId: bike.data.bikeId }, { userId: 'rider-1', fits: true });

  beforeAll(async () => {
    await buildCli();
    harness = await startProjectionHarness(ALL_PROJECTIONS);
    url = databaseUrlOf(harness.knex);
    await harness.given(bike, part, submitted);
  }, 180_000);
  afterAll(() => harness?.close());

  it('lists every consumer of the log as JSON, with the database from DATABASE_URL', async () => {
    const { code, stdout } = await mpp(['projections', 'list', '--json'], url);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { items: ProjectionStatus[] };
    // Every consumer on the runner: the read models, the receipts reactor, and the indexer when Meilisearch is configured.
    const consumers = [...ALL_PROJECTIONS.map((p) => p.name), VERIFICATION_RECEIPTS, ...(process.env['MEILI_URL'] ? [SEARCH_INDEX] : [])];
    expect(listed.items.map((item) => item.name)).toEqual(consumers);
  });

  it('exports NDJSON on stdout only, with its summary on stderr', async () => {
    const { code, stdout, stderr } = await mpp(['events', 'export', '--type', 'VerificationSubmitted'], url);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').map((line) => JSON.parse(line).data)).toEqual([submitted.data]);
    expect(stderr).toBe('exported 1 of 3 events read\n');
  });

  it('exits 1 and names the link when a fitment event was tampered with', async () => {
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

  it('says in one line that the database cannot be reached, without its password', async () => {
    const closedPort = await findFreePort();
    const { code, stdout, stderr } = await mpp(['projections', 'list'], `postgres://analyst:s3cret@127.0.0.1:${closedPort}/motopartpicker`);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`mpp: cannot reach the database at postgres://analyst:***@127.0.0.1:${closedPort}/motopartpicker (connection refused: connect ECONNREFUSED 127.0.0.1:${closedPort}); is PostgreSQL running there, and is DATABASE_URL right?\n`);
  });

  it('exits 2 on bad usage', async () => {
    const { code, stderr } = await mpp(['projections', 'replay', 'catalog', '--schema', 'public'], url);
    expect(code).toBe(2);
    expect(stderr).toContain('schema public is a schema the product or PostgreSQL uses');
  });
});
