import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { partCataloged, priceObserved, retailerRegistered, startProjectionHarness, type ProjectionHarness } from '@mpp/projections/testing';
import { databaseUrlOf } from '@mpp/testing';
import { rowsOf } from './testing/cli-test-context.js';
import { buildCli, REPO_ROOT, spawnMpp } from './testing/spawned-cli.js';


/** The worked example of docs/analysts.md, exactly as the page shows it. */
const EXAMPLE = join(REPO_ROOT, 'docs/examples/price-spread.projection.ts');

interface Observation {
  partId: string;
  retailerId: string;
  priceCents: number;
  currency: string;
  observedAt: string;
}

/** The spread per part, UTC day and currency, folded here in plain JS: what the file's projection must write. */
function expectedSpread(observations: readonly Observation[]): unknown[] {
  const rows = new Map<string, { part_id: string; day: string; currency: string; min_cents: number; max_cents: number; observations: number }>();
  for (const o of observations) {
    const day = o.observedAt.slice(0, 10);
    const key = `${o.partId}|${day}|${o.currency}`;
    const row = rows.get(key) ?? { part_id: o.partId, day, currency: o.currency, min_cents: o.priceCents, max_cents: o.priceCents, observations: 0 };
    row.min_cents = Math.min(row.min_cents, o.priceCents);
    row.max_cents = Math.max(row.max_cents, o.priceCents);
    row.observations += 1;
    rows.set(key, row);
  }
  return sorted([...rows.values()]);
}

function sorted(rows: readonly unknown[]): unknown[] {
  return rows.map((row) => JSON.stringify(row)).sort().map((text) => JSON.parse(text) as unknown);
}

async function spreadRows(knex: ProjectionHarness['knex'], schema: string): Promise<unknown[]> {
  const { rows } = await knex.raw<{ rows: unknown[] }>(
    `SELECT part_id, to_char(day, 'YYYY-MM-DD') AS day, currency, min_cents, max_cents, observations FROM ${schema}.price_spread_daily`,
  );
  return sorted(rows);
}

describe(`projection files from outside the repo`, () => {
  let harness: ProjectionHarness;
  let url: string;
  let folder: string;
  let file: string;
  let firstDayEnd: bigint;
  const parts = [partCataloged(), partCataloged()];
  const shops = [retailerRegistered(), retailerRegistered(), retailerRegistered()];
  const observations: Observation[] = [];

  function observe(part: number, shop: number, priceCents: number, observedAt: string, currency = 'EUR') {
    const o = { partId: parts[part]!.data.partId, retailerId: shops[shop]!.data.retailerId, priceCents, currency, observedAt };
    observations.push(o);
    return priceObserved(o.partId, o.retailerId, { priceCents, observedAt, currency });
  }

  beforeAll(async () => {
    await buildCli();
    harness = await startProjectionHarness([]);
    url = databaseUrlOf(harness.knex);
    firstDayEnd = await harness.given(
      ...parts,
      ...shops,
      observe(0, 0, 129_00, '2025-03-01T08:00:00.000Z'),
      observe(0, 1, 119_00, '2025-03-01T09:00:00.000Z'),
      observe(1, 0, 45_00, '2025-03-01T09:30:00.000Z'),
      observe(1, 2, 39_00, '2025-03-01T10:00:00.000Z', 'GBP'),
    );
    await harness.given(
      observe(0, 0, 125_00, '2025-03-02T08:00:00.000Z'),
      observe(0, 2, 139_00, '2025-03-02T12:00:00.000Z'),
      observe(0, 1, 118_00, '2025-03-01T23:00:00.000Z'),
      observe(1, 1, 44_00, '2025-03-02T07:00:00.000Z'),
    );
    folder = await mkdtemp(join(tmpdir(), 'mpp-projection-file-'));
    file = join(folder, 'price-spread.projection.ts');
    await copyFile(EXAMPLE, file);
  }, 180_000);
  afterAll(() => harness?.close());

  it('writes the projection file outside the repo', () => {
    expect(relative(REPO_ROOT, file).startsWith('..')).toBe(true);
  });

  it('replays the file into a scratch schema: the rows are the spread of every observation', async () => {
    const { code, stdout, stderr } = await spawnMpp(['projections', 'replay', '--file', file, '--schema', 'scratch_spread'], url, { cwd: folder });
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('replaying price-spread-daily v1 into schema scratch_spread') });
    expect(stdout).toContain('tables: "scratch_spread"."price_spread_daily"');
    expect(await spreadRows(harness.knex, 'scratch_spread')).toEqual(expectedSpread(observations));
  });

  it('replays it as of a position: only the observations up to there', async () => {
    const { code } = await spawnMpp(['projections', 'replay', '--file', file, '--schema', 'scratch_spread_day1', '--until', String(firstDayEnd)], url, { cwd: folder });
    expect(code).toBe(0);
    expect(await spreadRows(harness.knex, 'scratch_spread_day1')).toEqual(expectedSpread(observations.slice(0, 4)));
  });

  it('runs the specs the file exports, writing nothing', async () => {
    const { code, stdout } = await spawnMpp(['projections', 'test', '--file', file], url, { cwd: folder });
    expect(stdout).toBe('ok   price-spread-daily: the lowest and highest price of each UTC day\nok   price-spread-daily: one row per currency\n2 passed, 0 failed\n');
    expect(code).toBe(0);
    const { rows } = await harness.knex.raw<{ rows: unknown[] }>("SELECT 1 FROM information_schema.schemata WHERE schema_name LIKE 'mpp_spec_%'");
    expect(rows).toEqual([]);
  });

  it('fails a spec whose rows differ, showing both', async () => {
    const wrong = join(folder, 'wrong.projection.ts');
    await writeFile(wrong, (await readFile(file, 'utf8')).replace("min_cents: 119_00, max_cents: 129_00, observations: 2", "min_cents: 119_00, max_cents: 130_00, observations: 2"));
    const { code, stdout } = await spawnMpp(['projections', 'test', '--file', wrong], url, { cwd: folder });
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL price-spread-daily: the lowest and highest price of each UTC day');
    expect(stdout).toContain('"max_cents":13000');
    expect(stdout).toContain('1 passed, 1 failed');
  });

  it('loads a JavaScript file too, and refuses a file that exports no projection (exit 2)', async () => {
    const js = join(folder, 'count.projection.mjs');
    await writeFile(js, `import { defineProjection } from '@mpp/projection-runner';
export const countProjection = defineProjection({
  name: 'observation-count', version: 1, tables: ['observation_count'], onPoisonEvent: 'stop',
  async createTables(knex, schema) { await knex.raw(\`CREATE TABLE "\${schema}".observation_count (n int NOT NULL)\`); await knex.raw(\`INSERT INTO "\${schema}".observation_count VALUES (0)\`); },
  handlers: { PriceObserved: async (event, ctx) => { await ctx.table('observation_count').increment('n', 1); } },
});
`);
    expect((await spawnMpp(['projections', 'replay', '--file', js, '--schema', 'scratch_count'], url, { cwd: folder })).code).toBe(0);
    expect(await rowsOf(harness.knex, 'scratch_count.observation_count')).toEqual([{ n: observations.length }]);

    const empty = join(folder, 'empty.projection.ts');
    await writeFile(empty, 'export const answer: number = 42;\n');
    const { code, stderr } = await spawnMpp(['projections', 'replay', '--file', empty, '--schema', 'scratch_empty'], url, { cwd: folder });
    expect(code).toBe(2);
    expect(stderr).toContain('exports no projection: export one made with defineProjection');
  });
});
