import type { Knex } from 'knex';

/** The columns a search statement reads from a document when it has no words to rank (postgres-catalog-search.ts). */
const FACET_COLUMNS = 'status_mask, best_prices, confirmations, refutations, name, part_id';
const SOURCE = 'search-documents';
/** The projection version whose tables these indexes fit (status_mask since v2, sample tokens since v3). */
const SOURCE_VERSION = 3;

/**
 * Facet-heavy searches (words or none, plus category, brand, status and a price range) read the
 * facet columns of thousands of documents, each a heap visit of a 1.5 kB row (issue #14). Two
 * covering indexes let them read those columns from the index alone:
 * - `search_documents_sample`: a document's sample bucket (`search_sample_bucket`, the rule of
 *   `search_sample_tokens` in 0026: `#s<j>` is exactly bucket < 2^j), so the sample of a query
 *   without words is a range of it;
 * - `search_documents_category` replaces `search_documents_facets` (category, brand) with the
 *   columns a page needs, so a category's candidates for a narrowed query come from it alone.
 * New generations get them from the projection's createTables; this adds them to the generations
 * that exist (serving or building), at the version they fit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION public.search_sample_bucket(part_id uuid) RETURNS integer
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN get_byte(uuid_send(part_id), 15) & 63`);
  for (const schema of await searchDocumentSchemas(knex)) {
    const documents = `"${schema}".search_documents`;
    await knex.raw(`CREATE INDEX IF NOT EXISTS search_documents_sample ON ${documents} (public.search_sample_bucket(part_id)) INCLUDE (category, brand, ${FACET_COLUMNS})`);
    await knex.raw(`CREATE INDEX IF NOT EXISTS search_documents_category ON ${documents} (category, brand) INCLUDE (${FACET_COLUMNS})`);
    await knex.raw(`DROP INDEX IF EXISTS "${schema}".search_documents_facets`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const schema of await searchDocumentSchemas(knex)) {
    const documents = `"${schema}".search_documents`;
    await knex.raw(`CREATE INDEX IF NOT EXISTS search_documents_facets ON ${documents} (category, brand) INCLUDE (status_mask, best_price_cents)`);
    await knex.raw(`DROP INDEX IF EXISTS "${schema}".search_documents_category`);
  }
  // CASCADE: the sample indexes (of every generation, including any built since) depend on it.
  await knex.raw('DROP FUNCTION IF EXISTS public.search_sample_bucket(uuid) CASCADE');
}

/** Schemas of the search-documents generations that serve or build, at the version the indexes fit. */
async function searchDocumentSchemas(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { schema_name: string }[] }>(
    `SELECT schema_name FROM projection_checkpoints
      WHERE projection = ? AND version = ? AND state IN ('building', 'active')
        AND to_regclass(format('%I.search_documents', schema_name)) IS NOT NULL
      ORDER BY generation`,
    [SOURCE, SOURCE_VERSION],
  );
  return rows.map((row) => row.schema_name.replaceAll('"', '""'));
}
