import type { Knex } from 'knex';
import type { ProjectionContext } from '@mpp/projection-runner';
import type { CatalogChanges } from './search-documents-catalog.js';
import { restoreSearchReaders } from './search-documents-readers.js';
import { SEARCH_BIKES as BIKES, SEARCH_DOCUMENTS as DOCUMENTS, SEARCH_FITMENT as FITMENT, SEARCH_PRICES as PRICES } from './search-documents.tables.js';
import { DOCUMENT_BIKES, DOCUMENT_SEARCHED_BIKES, SEARCHED_BIKES } from './document-bikes.js';
import { insertUnnest } from '../shared/unnest-insert.js';
import { raisePositionOnConflict } from '../shared/key-versions.js';
import { addAllLabelWords } from './search-documents-vocabulary.js';

/**
 * Bulk form's private bookkeeping, created by the first bulk batch and dropped by the finish, so the
 * tables a bulk catch-up leaves are the live form's:
 * - `search_bulk_touches`: per part, the position of the last event that rewrote (or, before the
 *   part was cataloged, would have rewritten) its document.
 * - `search_bulk_documents`: the parts cataloged during the bulk catch-up, their fields and slug
 *   only. They join `search_documents` whole in the finish, so each one's generated columns (the
 *   search vector above all) are computed once, not once on insert and again when the finish adds
 *   its bikes (and again for every batch that revised it).
 */
const TOUCHES = 'search_bulk_touches';
const STAGED = 'search_bulk_documents';
const FIELDS = 'part_id, slug, sku, brand, name, category, description';

/** Creates the bookkeeping tables if this is the first bulk batch; a bulk batch calls it before it reads any document. */
export async function ensureBulkTables(ctx: ProjectionContext): Promise<void> {
  await ctx.trx.raw(`CREATE TABLE IF NOT EXISTS ${ctx.qualified(TOUCHES)} (part_id uuid PRIMARY KEY, position bigint NOT NULL)`);
  await ctx.trx.raw(
    `CREATE TABLE IF NOT EXISTS ${ctx.qualified(STAGED)} (
       part_id uuid PRIMARY KEY, slug text NOT NULL UNIQUE, sku text NOT NULL, brand text NOT NULL, name text NOT NULL,
       category text NOT NULL, description text, updated_position bigint NOT NULL)`,
  );
}

/** In bulk mode the documents a batch looks up (fields, slugs, whether a part is cataloged) are the stored and the staged ones. */
export function bulkDocumentSource(ctx: ProjectionContext): string {
  return `(SELECT ${FIELDS} FROM ${ctx.qualified(DOCUMENTS)} UNION ALL SELECT ${FIELDS} FROM ${ctx.qualified(STAGED)})`;
}

/**
 * The document writes of a bulk batch (docs/projections.md, "Bulk mode"): the private state is
 * already kept exactly as in a live batch; of the documents only what the state cannot give back
 * is written: the fields and slug of a newly cataloged part (staged), the fields of a revision, and
 * the position of every touch. A document's bikes, counts and prices are functions of the private
 * tables, derived once for all documents by `finishSearchDocuments`, so a popular part's bikes and
 * search vector are not rewritten once per batch.
 */
export async function writeDocumentsInBulk(ctx: ProjectionContext, { catalog, touches }: { catalog: CatalogChanges; touches: ReadonlyMap<string, bigint> }): Promise<void> {
  await insertUnnest(
    ctx,
    STAGED,
    [...catalog.cataloged.values()].map(({ partId, ...fields }) => ({ part_id: partId, ...fields, updated_position: touches.get(partId)!.toString() })),
    { part_id: 'uuid', slug: 'text', sku: 'text', brand: 'text', name: 'text', category: 'text', description: 'text', updated_position: 'bigint' },
  );
  const revised = [...catalog.revised.entries()].filter(([partId]) => !catalog.cataloged.has(partId));
  if (revised.length > 0) {
    // A revised part is either staged or stored (a serving generation catching up in bulk mode): both are updated, one matches.
    const set = 'brand = t.brand, name = t.name, category = t.category, description = t.description';
    await ctx.trx.raw(
      `WITH t AS (SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t(part_id, brand, name, category, description)),
            staged AS (UPDATE ${ctx.qualified(STAGED)} s SET ${set} FROM t WHERE s.part_id = t.part_id)
       UPDATE ${ctx.qualified(DOCUMENTS)} d SET ${set} FROM t WHERE d.part_id = t.part_id`,
      [revised.map(([id]) => id), ...(['brand', 'name', 'category', 'description'] as const).map((key) => revised.map(([, fields]) => fields[key]) as Knex.Value)],
    );
  }
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(TOUCHES)} AS t (part_id, position) SELECT * FROM unnest(?::uuid[], ?::bigint[])
     ${raisePositionOnConflict('t', ['part_id'])}`,
    [[...touches.keys()], [...touches.values()].map(String)],
  );
}

/**
 * Derives every document from the private tables as the live statements do part by part (the
 * bikes ordered by label, the totals, the cheapest in-stock offer else the cheapest, each
 * currency's best), with each document's last touch. The documents stored before the catch-up are
 * rewritten only where they differ: those whose bikes changed in one statement (it regenerates the
 * search vector), those whose price or position alone changed in another (it does not). Then the
 * staged documents are inserted whole, then the readers' indexes and facet counts, and the
 * bookkeeping goes.
 */
export async function finishSearchDocuments(ctx: ProjectionContext): Promise<void> {
  await ensureBulkTables(ctx);
  const documents = ctx.qualified(DOCUMENTS);
  const staged = ctx.qualified(STAGED);
  const bikes = (which: 'staged' | 'stored') => `f AS (
            SELECT sf.part_id, ${DOCUMENT_BIKES}, ${DOCUMENT_SEARCHED_BIKES}
              FROM ${ctx.qualified(FITMENT)} sf
              LEFT JOIN ${ctx.qualified(BIKES)} b ON b.bike_id = sf.bike_id
             WHERE ${which === 'staged' ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${staged} s WHERE s.part_id = sf.part_id)
             GROUP BY sf.part_id)`;
  const prices = (base: string) => `offer AS (
            SELECT DISTINCT ON (part_id) part_id, price_cents, currency, in_stock FROM ${ctx.qualified(PRICES)}
             ORDER BY part_id, in_stock DESC, price_cents, retailer_id),
          per AS (
            SELECT part_id, jsonb_object_agg(currency, price_cents) AS best_prices
              FROM (SELECT DISTINCT ON (part_id, currency) part_id, currency, price_cents FROM ${ctx.qualified(PRICES)}
                     ORDER BY part_id, currency, in_stock DESC, price_cents, retailer_id) c
             GROUP BY part_id),
          priced AS (
            SELECT d.part_id, offer.price_cents, offer.currency, offer.in_stock, coalesce(per.best_prices, '{}'::jsonb) AS best_prices,
                   greatest(d.updated_position, t.position) AS updated_position
              FROM ${base} d
              LEFT JOIN offer USING (part_id)
              LEFT JOIN per USING (part_id)
              LEFT JOIN ${ctx.qualified(TOUCHES)} t USING (part_id))`;
  // The stored documents first, while the staged ones are not among them yet.
  await ctx.trx.raw(
    `WITH ${bikes('stored')}, ${prices(documents)}
     UPDATE ${documents} d
        SET bikes = n.bikes, ${SEARCHED_BIKES} = n.searched_bikes, confirmations = n.confirmations, refutations = n.refutations,
            best_price_cents = n.price_cents, currency = n.currency, in_stock = n.in_stock, best_prices = n.best_prices,
            updated_position = n.updated_position
       FROM (SELECT priced.*, coalesce(f.bikes, '[]'::jsonb) AS bikes, coalesce(f.searched_bikes, '[]'::jsonb) AS searched_bikes,
                    coalesce(f.confirmations, 0) AS confirmations, coalesce(f.refutations, 0) AS refutations
               FROM priced LEFT JOIN f USING (part_id)) n
      WHERE d.part_id = n.part_id AND (d.bikes <> n.bikes OR d.confirmations <> n.confirmations OR d.refutations <> n.refutations)`,
  );
  await ctx.trx.raw(
    `WITH ${prices(documents)}
     UPDATE ${documents} d
        SET best_price_cents = n.price_cents, currency = n.currency, in_stock = n.in_stock, best_prices = n.best_prices,
            updated_position = n.updated_position
       FROM priced n
      WHERE d.part_id = n.part_id
        AND (d.best_price_cents IS DISTINCT FROM n.price_cents OR d.currency IS DISTINCT FROM n.currency OR d.in_stock IS DISTINCT FROM n.in_stock
             OR d.best_prices <> n.best_prices OR d.updated_position <> n.updated_position)`,
  );
  await ctx.trx.raw(
    `WITH ${bikes('staged')}, ${prices(staged)}
     INSERT INTO ${documents} (${FIELDS}, bikes, ${SEARCHED_BIKES}, confirmations, refutations, best_price_cents, currency, in_stock, best_prices, updated_position)
     SELECT ${FIELDS.split(', ').map((field) => `s.${field}`).join(', ')},
            coalesce(f.bikes, '[]'::jsonb), coalesce(f.searched_bikes, '[]'::jsonb), coalesce(f.confirmations, 0), coalesce(f.refutations, 0),
            n.price_cents, n.currency, n.in_stock, n.best_prices, n.updated_position
       FROM ${staged} s
       JOIN priced n USING (part_id)
       LEFT JOIN f USING (part_id)`,
  );
  await addAllLabelWords(ctx);
  await restoreSearchReaders(ctx);
  await ctx.trx.raw(`DROP TABLE ${ctx.qualified(TOUCHES)}, ${staged}`);
}
