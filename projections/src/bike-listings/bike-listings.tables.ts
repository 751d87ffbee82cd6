import type { Knex } from 'knex';
import { qualify } from '@mpp/projection-runner';
import { createReaderIndexes, type ReaderIndex } from '../shared/reader-indexes.js';
import { createKeyVersionsTable } from '../shared/key-versions.js';

/** One row per (bike, part) with everything the bike's parts page shows and sorts or filters by. */
export const LISTINGS = 'bike_listings';
/** Per bike, how many listed parts have each category, brand and status (the unfiltered facets). */
export const FACETS = 'bike_listing_facets';
/** The part page as the API answers it (but for staleness, which is the reader's clock). */
export const PART_PAGES = 'part_pages';
/** Bikes as the bike-parts answer and the year -> make -> model cascade show them. */
export const LISTED_BIKES = 'listed_bikes';
/** Per read-model key, the position of the last event that changed it: ETags and cache invalidation. */
export const VERSIONS = 'bike_listing_versions';

export const PUBLIC_TABLES = [LISTINGS, FACETS, PART_PAGES, LISTED_BIKES, VERSIONS] as const;

/**
 * One index per sort of the bike-parts page, each ending in the tie-breakers, so an unfiltered
 * page is the first 24 entries of an index range (docs/performance.md, "Read path"). The price
 * sorts read the rider's currency out of best_offers: one bike's rows, sorted in memory. Only
 * readers and live batches use them: a generation nobody reads yet gets them after its bulk finish.
 */
export const LISTING_READER_INDEXES: readonly ReaderIndex[] = [
  { name: 'bike_listings_relevance', table: LISTINGS, definition: '(bike_id, status_rank, confirmations DESC, part_name, part_id)' },
  { name: 'bike_listings_confirmations', table: LISTINGS, definition: '(bike_id, confirmations DESC, status_rank, part_name, part_id)' },
  { name: 'bike_listings_name', table: LISTINGS, definition: '(bike_id, part_name, part_id)' },
  // ?category (the usual path from the UI) in the default order.
  { name: 'bike_listings_category', table: LISTINGS, definition: '(bike_id, part_category, status_rank, confirmations DESC, part_name, part_id)' },
  // A live batch refreshes every listing of a part whose fields or offers changed; bulk batches
  // write no listing (the finish writes them all), so a bulk load builds this one after them too.
  { name: 'bike_listings_part', table: LISTINGS, definition: '(part_id)' },
];

/** The tables the API reads; the private state they are derived from is created by the composed projections. */
export async function createListingTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable(LISTINGS, (t) => {
    t.uuid('bike_id').notNullable();
    t.uuid('part_id').notNullable();
    t.text('part_slug').notNullable();
    t.text('part_sku').notNullable();
    t.text('part_brand').notNullable();
    t.text('part_name').notNullable();
    t.text('part_category').notNullable();
    t.text('part_description');
    t.text('status').notNullable();
    t.smallint('status_rank').notNullable();
    t.integer('confirmations').notNullable();
    t.integer('refutations').notNullable();
    // The best offer (cheapest in stock, else cheapest), as part_best_prices defines it.
    t.uuid('retailer_id');
    t.text('retailer_name');
    t.bigInteger('price_cents');
    t.string('currency', 3);
    t.boolean('in_stock');
    t.text('url');
    t.timestamp('observed_at', { useTz: true });
    // The best offer in each currency, for readers that must not rank two currencies against each other.
    t.jsonb('best_offers').notNullable().defaultTo('[]');
    t.primary(['bike_id', 'part_id']);
  });
  await createReaderIndexes(knex, (name) => qualify(schema, name), LISTING_READER_INDEXES);

  await knex.schema.withSchema(schema).createTable(FACETS, (t) => {
    t.uuid('bike_id').notNullable();
    t.text('facet').notNullable();
    t.text('value').notNullable();
    t.integer('count').notNullable();
    t.primary(['bike_id', 'facet', 'value']);
  });

  await knex.schema.withSchema(schema).createTable(PART_PAGES, (t) => {
    t.uuid('part_id').primary();
    t.text('slug').notNullable().unique();
    t.jsonb('page').notNullable();
  });

  await knex.schema.withSchema(schema).createTable(LISTED_BIKES, (t) => {
    t.uuid('id').primary();
    t.text('slug').notNullable().unique();
    t.integer('year').notNullable();
    t.text('make').notNullable();
    t.text('model').notNullable();
    t.text('trim');
    t.integer('engine_cc');
    t.index(['year', 'make', 'model'], 'listed_bikes_cascade');
  });

  await createKeyVersionsTable(knex, schema, VERSIONS);
}
