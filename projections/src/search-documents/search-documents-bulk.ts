import type { Knex } from 'knex';
import type { ProjectionContext } from '@mpp/projection-runner';
import type { CatalogChanges } from './search-documents-catalog.js';
import { restoreSearchReaders } from './search-documents-readers.js';
import { SEARCH_BIKES as BIKES, SEARCH_DOCUMENTS as DOCUMENTS, SEARCH_FITMENT as FITMENT, SEARCH_PRICES as PRICES } from './search-documents.tables.js';
import { DOCUMENT_BIKES } from './document-bikes.js';
import { insertUnnest } from '../shared/unnest-insert.js';

/**
 * Bulk form's private bookkeeping: per part, the position of the last event that rewrote (or, before
 * the part was cataloged, would have rewritten) its document. Created by the first bulk batch that
 * needs it and dropped by the finish, so the tables a bulk catch-up leaves are the live form's.
 */
const TOUCHES = 'search_bulk_touches';

/**
 * The document writes of a bulk batch (docs/projections.md, "Bulk mode"): the private state is
 * already kept exactly as in a live batch; of the documents only what the state cannot give back
 * is written: the fields and slug of a newly cataloged part, the fields of a revision, and the
 * position of every touch. A document's bikes, counts and prices are functions of the private
 * tables, derived once for all documents by `finishSearchDocuments`, so a popular part's bikes and
 * search vector are not rewritten once per batch.
 */
export async function writeDocumentsInBulk(ctx: ProjectionContext, { catalog, touches }: { catalog: CatalogChanges; touches: ReadonlyMap<string, bigint> }): Promise<void> {
  await ensureTouches(ctx);
  await insertUnnest(
    ctx,
    DOCUMENTS,
    [...catalog.cataloged.values()].map(({ partId, ...fields }) => ({ part_id: partId, ...fields, updated_position: touches.get(partId)!.toString() })),
    { part_id: 'uuid', slug: 'text', sku: 'text', brand: 'text', name: 'text', category: 'text', description: 'text', updated_position: 'bigint' },
  );
  const revised = [...catalog.revised.entries()].filter(([partId]) => !catalog.cataloged.has(partId));
  if (revised.length > 0) {
    await ctx.trx.raw(
      `UPDATE ${ctx.qualified(DOCUMENTS)} d SET brand = t.brand, name = t.name, category = t.category, description = t.description
         FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t(part_id, brand, name, category, description)
        WHERE d.part_id = t.part_id`,
      [revised.map(([id]) => id), ...(['brand', 'name', 'category', 'description'] as const).map((key) => revised.map(([, fields]) => fields[key]) as Knex.Value)],
    );
  }
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(TOUCHES)} AS t (part_id, position) SELECT * FROM unnest(?::uuid[], ?::bigint[])
     ON CONFLICT (part_id) DO UPDATE SET position = greatest(t.position, EXCLUDED.position)`,
    [[...touches.keys()], [...touches.values()].map(String)],
  );
}

async function ensureTouches(ctx: ProjectionContext): Promise<void> {
  await ctx.trx.raw(`CREATE TABLE IF NOT EXISTS ${ctx.qualified(TOUCHES)} (part_id uuid PRIMARY KEY, position bigint NOT NULL)`);
}

/**
 * Derives every document from the private tables as the live statements do part by part (the
 * bikes ordered by label, the totals, the cheapest in-stock offer else the cheapest, each
 * currency's best), takes each document's last touch, and rewrites only the documents that differ:
 * those whose bikes changed in one statement (it regenerates the search vector), those whose price
 * or position alone changed in another (it does not). Then the readers' indexes and facet counts,
 * and the bookkeeping goes.
 */
export async function finishSearchDocuments(ctx: ProjectionContext): Promise<void> {
  await ensureTouches(ctx);
  const documents = ctx.qualified(DOCUMENTS);
  const prices = `offer AS (
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
              FROM ${documents} d
              LEFT JOIN offer USING (part_id)
              LEFT JOIN per USING (part_id)
              LEFT JOIN ${ctx.qualified(TOUCHES)} t USING (part_id))`;
  await ctx.trx.raw(
    `WITH f AS (
            SELECT sf.part_id, ${DOCUMENT_BIKES}
              FROM ${ctx.qualified(FITMENT)} sf
              LEFT JOIN ${ctx.qualified(BIKES)} b ON b.bike_id = sf.bike_id
             GROUP BY sf.part_id),
          ${prices}
     UPDATE ${documents} d
        SET bikes = n.bikes, confirmations = n.confirmations, refutations = n.refutations,
            best_price_cents = n.price_cents, currency = n.currency, in_stock = n.in_stock, best_prices = n.best_prices,
            updated_position = n.updated_position
       FROM (SELECT priced.*, coalesce(f.bikes, '[]'::jsonb) AS bikes, coalesce(f.confirmations, 0) AS confirmations, coalesce(f.refutations, 0) AS refutations
               FROM priced LEFT JOIN f USING (part_id)) n
      WHERE d.part_id = n.part_id AND (d.bikes <> n.bikes OR d.confirmations <> n.confirmations OR d.refutations <> n.refutations)`,
  );
  await ctx.trx.raw(
    `WITH ${prices}
     UPDATE ${documents} d
        SET best_price_cents = n.price_cents, currency = n.currency, in_stock = n.in_stock, best_prices = n.best_prices,
            updated_position = n.updated_position
       FROM priced n
      WHERE d.part_id = n.part_id
        AND (d.best_price_cents IS DISTINCT FROM n.price_cents OR d.currency IS DISTINCT FROM n.currency OR d.in_stock IS DISTINCT FROM n.in_stock
             OR d.best_prices <> n.best_prices OR d.updated_position <> n.updated_position)`,
  );
  await restoreSearchReaders(ctx);
  await ctx.trx.raw(`DROP TABLE ${ctx.qualified(TOUCHES)}`);
}
