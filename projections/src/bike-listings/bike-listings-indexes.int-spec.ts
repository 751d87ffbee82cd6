import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bikeListingsProjection } from './bike-listings.projection.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';
import { planOf } from '../testing/query-plan.js';

/**
 * The statements of bike-listing-reads.ts (and the projector's refresh by part) against the public
 * views, and the index each is meant to use. Sequential scans are off for the EXPLAIN: on near-empty
 * tables the planner would rightly prefer them; what is checked is that a fitting index is chosen.
 */
const HOT_QUERIES: { query: string; sql: string; bindings: unknown[]; index: string }[] = [
  {
    query: 'bike page, default order',
    sql: 'SELECT * FROM bike_listings WHERE bike_id = ? ORDER BY status_rank, confirmations DESC, part_name, part_id LIMIT 24',
    bindings: [randomUUID()],
    index: 'bike_listings_relevance',
  },
  {
    query: 'bike page, most confirmed first',
    sql: 'SELECT * FROM bike_listings WHERE bike_id = ? ORDER BY confirmations DESC, status_rank, part_name, part_id LIMIT 24',
    bindings: [randomUUID()],
    index: 'bike_listings_confirmations',
  },
  { query: 'bike page, by name', sql: 'SELECT * FROM bike_listings WHERE bike_id = ? ORDER BY part_name, part_id LIMIT 24', bindings: [randomUUID()], index: 'bike_listings_name' },
  {
    query: 'bike page of a category',
    sql: 'SELECT * FROM bike_listings WHERE bike_id = ? AND part_category = ? ORDER BY status_rank, confirmations DESC, part_name, part_id LIMIT 24',
    bindings: [randomUUID(), 'exhaust'],
    index: 'bike_listings_category',
  },
  { query: 'unfiltered facets of a bike', sql: "SELECT * FROM bike_listing_facets WHERE bike_id = ? AND facet = 'brand'", bindings: [randomUUID()], index: 'bike_listing_facets_pkey' },
  { query: 'part page by slug', sql: 'SELECT * FROM part_pages WHERE slug = ?', bindings: ['ebc-fa252hh'], index: 'part_pages_slug_unique' },
  { query: 'version of a key', sql: 'SELECT position FROM bike_listing_versions WHERE key = ?', bindings: ['bike:x'], index: 'bike_listing_versions_pkey' },
  { query: 'keys changed since a position', sql: 'SELECT key, position FROM bike_listing_versions WHERE position > ? ORDER BY position LIMIT 5001', bindings: [100], index: 'bike_listing_versions_position' },
  { query: 'cascade: makes of a year', sql: 'SELECT DISTINCT make FROM listed_bikes WHERE year = ?', bindings: [2021], index: 'listed_bikes_cascade' },
  { query: 'bike by slug', sql: 'SELECT * FROM listed_bikes WHERE slug = ?', bindings: ['2021-yamaha-mt-07'], index: 'listed_bikes_slug_unique' },
  { query: 'listings of a part (refresh)', sql: 'SELECT * FROM bike_listings WHERE part_id = ?', bindings: [randomUUID()], index: 'bike_listings_part' },
];

describe('bike-listings indexes', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([bikeListingsProjection]);
  });
  afterAll(async () => {
    await harness.close();
  });

  it.each(HOT_QUERIES)('$query uses $index', async ({ sql, bindings, index }) => {
    expect(await planOf(harness.knex, sql, bindings)).toContain(index);
  });
});
