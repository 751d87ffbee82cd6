import { describe, expect, it } from '@jest/globals';
import { migrationSource } from './index.js';
import { databaseBelowMigration } from './testing/database-below-migration.js';

const MIGRATION = '0030-search-indexer-on-runner';

/** Migration 0030: the Meilisearch indexer's position survives its move onto the projection runner, when it still describes the serving documents. */
describe(MIGRATION, () => {
  const db = databaseBelowMigration(MIGRATION);
  const sourceGeneration = (generation: number, version = 3) =>
    db.knex('projection_checkpoints').insert({ projection: 'search-documents', generation, version, schema_name: `rm_search_documents_v${version}_g${generation}`, state: 'active', position: 9000 });
  const indexer = () => db.knex('projection_checkpoints').where({ projection: 'search-index' }).select('generation', 'version', 'state', 'position');

  it('carries a checkpoint taken from the serving search-documents generation into the runner as the serving generation, and drops the old table', async () => {
    await sourceGeneration(2);
    await db.knex('search_index_checkpoints').insert({ index_uid: 'parts', generation: 2, position: '4242', documents: 10 });
    await db.knex.migrate.up({ migrationSource, name: MIGRATION });

    expect(await indexer()).toEqual([{ generation: 1, version: 301, state: 'active', position: 4242 }]);
    expect((await db.knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_tables WHERE tablename = 'search_index_checkpoints'`)).rows).toHaveLength(0);
  });

  it('carries nothing from another generation: the indexer then builds a new index from position 0', async () => {
    await sourceGeneration(3);
    await db.knex('search_index_checkpoints').insert({ index_uid: 'parts', generation: 2, position: '4242', documents: 10 });
    await db.knex.migrate.up({ migrationSource, name: MIGRATION });

    expect(await indexer()).toEqual([]);
  });
});
