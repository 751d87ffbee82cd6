import type { Knex } from 'knex';

const INDEXER = 'search-index';
const SOURCE = 'search-documents';
/** The indexer's version then: search-documents v3 × 100 + its own v1 (projections/src/indexers/search-index.indexer.ts). */
const SOURCE_VERSION = 3;
const INDEXER_VERSION = 301;
/** generationSchema({ name: INDEXER, version: INDEXER_VERSION }, 1): an indexer has no tables, its schema stays empty. */
const FIRST_GENERATION_SCHEMA = 'rm_search_index_v301_g1';

/**
 * The Meilisearch indexer moves from its own loop (with its `search_index_checkpoints` row) onto the
 * projection runner (docs/search.md, "Indexing"). Its checkpoint counted positions of
 * `search_documents.updated_position`, which are positions of the log: when it was taken from the
 * search-documents generation that serves now, at the version the indexer expects, it becomes the
 * runner's checkpoint of the indexer's first generation, active, writing the live index. Otherwise
 * (none, or taken from another generation) nothing is carried: the first generation builds a new
 * index from position 0 and swaps it in once caught up, while the old index goes on serving.
 */
export async function up(knex: Knex): Promise<void> {
  const [old, source] = await Promise.all([
    knex('search_index_checkpoints').where({ index_uid: 'parts' }).first<{ generation: number; position: string } | undefined>('generation', 'position'),
    knex('projection_checkpoints').where({ projection: SOURCE, state: 'active' }).first<{ generation: number; version: number } | undefined>('generation', 'version'),
  ]);
  if (old && source && old.generation === source.generation && source.version === SOURCE_VERSION) {
    await knex('projection_checkpoints')
      .insert({ projection: INDEXER, generation: 1, version: INDEXER_VERSION, schema_name: FIRST_GENERATION_SCHEMA, state: 'active', position: old.position })
      .onConflict(['projection', 'generation'])
      .ignore();
  }
  await knex.schema.dropTable('search_index_checkpoints');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('search_index_checkpoints', (t) => {
    t.text('index_uid').primary();
    t.integer('generation').notNullable();
    t.bigInteger('position').notNullable();
    t.integer('documents').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  const [indexer, source] = await Promise.all([
    knex('projection_checkpoints').where({ projection: INDEXER, state: 'active' }).first<{ position: string } | undefined>('position'),
    knex('projection_checkpoints').where({ projection: SOURCE, state: 'active' }).first<{ generation: number } | undefined>('generation'),
  ]);
  if (indexer && source) await knex('search_index_checkpoints').insert({ index_uid: 'parts', generation: source.generation, position: indexer.position });
}
