import { describe, expect, it } from '@jest/globals';
import { migrationSource } from './index.js';
import { databaseBelowMigration } from './testing/database-below-migration.js';

const MIGRATION = '0032-search-covering-indexes';

/** Migration 0032: the covering search indexes reach the search-documents generations that exist, and only those they fit. */
describe(MIGRATION, () => {
  const db = databaseBelowMigration(MIGRATION);

  /** A generation's documents table as v3 left it: the columns the indexes cover, and the index 0032 replaces. */
  const generation = async (generation: number, version: number, state: string) => {
    const schema = `rm_search_documents_v${version}_g${generation}`;
    await db.knex.raw(`CREATE SCHEMA ${schema}`);
    await db.knex.raw(`
      CREATE TABLE ${schema}.search_documents (
        part_id uuid PRIMARY KEY, brand text NOT NULL, name text NOT NULL, category text NOT NULL, best_price_cents bigint,
        best_prices jsonb NOT NULL DEFAULT '{}', confirmations integer NOT NULL DEFAULT 0, refutations integer NOT NULL DEFAULT 0, status_mask smallint NOT NULL DEFAULT 0)`);
    await db.knex.raw(`CREATE INDEX search_documents_facets ON ${schema}.search_documents (category, brand) INCLUDE (status_mask, best_price_cents)`);
    await db.knex('projection_checkpoints').insert({ projection: 'search-documents', generation, version, schema_name: schema, state, position: 100 });
    return schema;
  };
  const indexesOf = async (schema: string) =>
    (await db.knex.raw<{ rows: { indexname: string }[] }>(`SELECT indexname FROM pg_indexes WHERE schemaname = ? AND indexname <> 'search_documents_pkey' ORDER BY indexname`, [schema])).rows.map(
      (row) => row.indexname,
    );

  it('adds the sample and category indexes to a building v3 generation, replacing the facets index, not to the v2 one serving meanwhile nor a retired one; down takes them back', async () => {
    const serving = await generation(2, 2, 'active');
    const building = await generation(4, 3, 'building');
    const retired = await generation(3, 3, 'retired');

    await db.knex.migrate.up({ migrationSource, name: MIGRATION });

    expect(await indexesOf(building)).toEqual(['search_documents_category', 'search_documents_sample']);
    for (const schema of [serving, retired]) expect(await indexesOf(schema)).toEqual(['search_documents_facets']);
    const { rows } = await db.knex.raw<{ rows: { bucket: number }[] }>(`SELECT public.search_sample_bucket('00000000-0000-4000-8000-0000000000c5') AS bucket`);
    expect(rows[0].bucket).toBe(0xc5 & 63);

    await db.knex.migrate.down({ migrationSource, name: MIGRATION });
    for (const schema of [serving, building, retired]) expect(await indexesOf(schema)).toEqual(['search_documents_facets']);
  });

  it('adds them to the serving v3 generation', async () => {
    const serving = await generation(1, 3, 'active');
    await db.knex.migrate.up({ migrationSource, name: MIGRATION });
    expect(await indexesOf(serving)).toEqual(['search_documents_category', 'search_documents_sample']);
  });
});
