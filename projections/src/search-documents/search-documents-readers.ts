import type { Knex } from 'knex';
import { REGIONS } from '@mpp/domain';
import type { ProjectionContext } from '@mpp/projection-runner';
import { createReaderIndexes, dropReaderIndexes, type ReaderIndex } from '../shared/reader-indexes.js';
import { SEARCH_DOCUMENTS as DOCUMENTS, SEARCH_FACET_COUNTS as FACET_COUNTS, SEARCH_VOCABULARY as VOCABULARY } from './search-documents.tables.js';

/** What a search without words reads of a document, besides category and brand: its covering indexes carry it. */
const COVERED = 'status_mask, best_prices, confirmations, refutations, name, part_id';
const CURRENCIES = [...new Set(REGIONS.map((region) => region.currency))].sort();

/**
 * The indexes only the search adapter reads by: no statement of the projection does (it reads
 * documents by part id and slug, the vocabulary by word). A generation that serves nobody yet loads
 * without them and builds each once in the bulk finish.
 */
export const SEARCH_READER_INDEXES: readonly ReaderIndex[] = [
  // Free text: every word of the query (and its corrections and synonyms) against the weighted vector.
  { name: 'search_documents_vector', table: DOCUMENTS, definition: 'USING gin (search_vector)' },
  // An exact SKU, however it is typed, is hit number one.
  { name: 'search_documents_sku_key', table: DOCUMENTS, definition: '(sku_key)' },
  // ?bikeId, and ?bikeId&status (keys "<bikeId>:<status>").
  { name: 'search_documents_bike_ids', table: DOCUMENTS, definition: 'USING gin (bike_ids)' },
  { name: 'search_documents_fits', table: DOCUMENTS, definition: 'USING gin (fits)' },
  // Covering (migration 0032): ?category, and a text query narrowed by one, read the candidates'
  // facet columns, prices and page columns from the index alone; so does the sample of a query
  // without words, by its bucket.
  { name: 'search_documents_category', table: DOCUMENTS, definition: `(category, brand) INCLUDE (${COVERED})` },
  { name: 'search_documents_sample', table: DOCUMENTS, definition: `(public.search_sample_bucket(part_id)) INCLUDE (category, brand, ${COVERED})` },
  // ?brand; the brand filter is case-insensitive.
  { name: 'search_documents_brand', table: DOCUMENTS, definition: '(lower(brand))' },
  // One per currency a region prices in: a price sort or filter reads one currency's amount.
  ...CURRENCIES.map((currency) => ({
    name: `search_documents_price_${currency.toLowerCase()}`,
    table: DOCUMENTS,
    definition: `(((best_prices ->> '${currency}')::bigint))`,
  })),
  // Browsing: one index per sort, in the adapter's order, so a page is the first rows of an index.
  // The price one also carries the facet columns: counts over a price range without text are an
  // index-only scan of that range.
  { name: 'search_documents_evidence', table: DOCUMENTS, definition: '(confirmations DESC, name, part_id)' },
  { name: 'search_documents_verifications', table: DOCUMENTS, definition: '(confirmations DESC, refutations, name, part_id)' },
  { name: 'search_documents_price', table: DOCUMENTS, definition: '(best_price_cents NULLS LAST, confirmations DESC, name, part_id) INCLUDE (category, brand, status_mask)' },
  { name: 'search_documents_price_desc', table: DOCUMENTS, definition: '(best_price_cents DESC NULLS LAST, confirmations DESC, name, part_id)' },
  { name: 'search_vocabulary_trigrams', table: VOCABULARY, definition: 'USING gin (word public.gin_trgm_ops)' },
];

const TRACK = 'search_facet_counts_track';
const TRIGGERS = [
  { name: 'search_facet_counts_insert', on: 'INSERT', transitions: 'NEW TABLE AS new_rows' },
  { name: 'search_facet_counts_update', on: 'UPDATE', transitions: 'OLD TABLE AS old_rows NEW TABLE AS new_rows' },
  { name: 'search_facet_counts_delete', on: 'DELETE', transitions: 'OLD TABLE AS old_rows' },
] as const;

/** The statement triggers that keep `search_facet_counts` with every write of the documents (the function is the projection's). */
export async function createFacetTriggers(knex: Knex | Knex.Transaction, qualified: (name: string) => string): Promise<void> {
  for (const trigger of TRIGGERS) {
    // A trigger with transition tables takes one event.
    await knex.raw(
      `CREATE OR REPLACE TRIGGER ${trigger.name} AFTER ${trigger.on} ON ${qualified(DOCUMENTS)} REFERENCING ${trigger.transitions} FOR EACH STATEMENT EXECUTE FUNCTION ${qualified(TRACK)}()`,
    );
  }
}

/** The trigger function that applies a statement's changes to the counts. */
export const FACET_TRACK = TRACK;

/**
 * A generation nobody reads yet loads without the readers' indexes and without the facet triggers
 * (their transition tables hold every written row, search vector included); `restore` builds both
 * again and counts the facets once from the documents.
 */
export async function dropSearchReaders(ctx: ProjectionContext): Promise<void> {
  await dropReaderIndexes(ctx, SEARCH_READER_INDEXES);
  for (const trigger of TRIGGERS) await ctx.trx.raw(`DROP TRIGGER IF EXISTS ${trigger.name} ON ${ctx.qualified(DOCUMENTS)}`);
}

export async function restoreSearchReaders(ctx: ProjectionContext): Promise<void> {
  await createReaderIndexes(ctx.trx, ctx.qualified, SEARCH_READER_INDEXES);
  const { rows } = await ctx.trx.raw<{ rows: { triggers: number }[] }>(
    `SELECT count(*)::int AS triggers FROM pg_trigger WHERE tgrelid = ?::regclass AND tgname = ANY(?::text[])`,
    [ctx.qualified(DOCUMENTS), TRIGGERS.map((trigger) => trigger.name)],
  );
  if (rows[0]!.triggers === TRIGGERS.length) return;
  await ctx.trx.raw(`DELETE FROM ${ctx.qualified(FACET_COUNTS)}`);
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(FACET_COUNTS)} (category, brand, status_mask, parts)
     SELECT category, brand, status_mask, count(*)::int FROM ${ctx.qualified(DOCUMENTS)} GROUP BY category, brand, status_mask`,
  );
  await createFacetTriggers(ctx.trx, ctx.qualified);
}
