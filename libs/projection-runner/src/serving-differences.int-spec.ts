import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { createGeneration } from './checkpoints.js';
import { generationSchema, qualify } from './projection-schema.js';
import { differingRows, readModelDifferences } from './serving-differences.js';

const PARTS = { name: 'parts', version: 1 };

/**
 * Serves `parts` from its generation `generation` (the earlier ones retired, their schemas left in
 * place holding `stale` rows) with a public table `parts_by_sku` and a private state table.
 */
async function serveParts(knex: Knex, generation: number, rows: [number, string][]): Promise<string> {
  let schema = '';
  for (let g = 1; g <= generation; g++) {
    const created = await createGeneration(knex, PARTS.name, PARTS.version, g === generation ? 'active' : 'retired', (n) => generationSchema(PARTS, n));
    schema = created.schemaName;
    await knex.raw(`CREATE SCHEMA "${schema}"`);
    await knex.raw(`CREATE TABLE ${qualify(schema, 'parts_by_sku')} (id int PRIMARY KEY, sku text NOT NULL)`);
    await knex.raw(`CREATE TABLE ${qualify(schema, 'parts_state')} (key text PRIMARY KEY, value int NOT NULL)`);
    await knex.raw(`INSERT INTO ${qualify(schema, 'parts_state')} VALUES ('seen', 3)`);
    const served = g === generation ? rows : [[9, 'stale'] as [number, string]];
    for (const [id, sku] of served) await knex.raw(`INSERT INTO ${qualify(schema, 'parts_by_sku')} VALUES (?, ?)`, [id, sku]);
  }
  return schema;
}

describe('the rows two builds of the read models differ by', () => {
  let a: TestDatabase;
  let b: TestDatabase;

  beforeEach(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterEach(async () => {
    await Promise.all([a.drop(), b.drop()]);
  });

  it('names exactly the row each side alone holds, reading each side from its serving generation, and nothing for equal tables', async () => {
    // The same projection served by generation 1 in one database and generation 2 in the other:
    // the tables are matched through projection_checkpoints, not by schema name.
    await serveParts(a.knex, 1, [[1, 'AK-1'], [2, 'AK-2'], [3, 'AK-3']]);
    await serveParts(b.knex, 2, [[1, 'AK-1'], [2, 'AK-2b'], [3, 'AK-3']]);

    expect(await differingRows(a.knex, b.knex, 'parts.parts_by_sku')).toEqual({ onlyA: ['(2,AK-2)'], onlyB: ['(2,AK-2b)'] });
    expect(await differingRows(a.knex, b.knex, 'parts.parts_state')).toEqual({ onlyA: [], onlyB: [] });
    expect(await readModelDifferences(a.knex, b.knex)).toEqual({ tables: 2, differences: [{ table: 'parts.parts_by_sku', rowsA: 3, rowsB: 3, onlyA: ['(2,AK-2)'], onlyB: ['(2,AK-2b)'] }] });
  });

  it('finds no differences between two equal builds', async () => {
    await serveParts(a.knex, 1, [[1, 'AK-1'], [2, 'AK-2']]);
    await serveParts(b.knex, 3, [[2, 'AK-2'], [1, 'AK-1']]);

    expect(await readModelDifferences(a.knex, b.knex)).toEqual({ tables: 2, differences: [] });
  });

  it('counts a row held twice against one held once, and takes a table one side lacks for an empty one', async () => {
    const schemaA = await serveParts(a.knex, 1, [[1, 'AK-1']]);
    const schemaB = await serveParts(b.knex, 1, [[1, 'AK-1']]);
    await a.knex.raw(`CREATE TABLE ${qualify(schemaA, 'parts_log')} (sku text NOT NULL)`);
    await a.knex.raw(`INSERT INTO ${qualify(schemaA, 'parts_log')} VALUES ('AK-1'), ('AK-1')`);

    expect(await readModelDifferences(a.knex, b.knex)).toEqual({ tables: 3, differences: [{ table: 'parts.parts_log', rowsA: 2, rowsB: null, onlyA: ['(AK-1)', '(AK-1)'], onlyB: [] }] });
    await b.knex.raw(`CREATE TABLE ${qualify(schemaB, 'parts_log')} (sku text NOT NULL)`);
    await b.knex.raw(`INSERT INTO ${qualify(schemaB, 'parts_log')} VALUES ('AK-1')`);

    expect(await differingRows(a.knex, b.knex, 'parts.parts_log')).toEqual({ onlyA: ['(AK-1)'], onlyB: [] });
  });
});
