import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ALL_PROJECTIONS } from './index.js';
import { startProjectionHarness, type ProjectionHarness } from './testing/projection-harness.js';
import { planOf } from './testing/query-plan.js';

/**
 * The hot queries of DESIGN §6 against the public views, and the index each one is meant to use
 * (docs/projections.md lists the same pairs). Sequential scans are switched off for the EXPLAIN,
 * because on near-empty tables the planner would rightly prefer them; what is checked is that an
 * index fitting the query exists and is the one chosen among indexes.
 */
const HOT_QUERIES: { query: string; sql: string; bindings: unknown[]; index: string }[] = [
  { query: 'bike options: makes of a year', sql: 'SELECT DISTINCT make FROM bikes WHERE year = ?', bindings: [2021], index: 'bikes_year_make_model' },
  { query: 'bike options: models of a year and make', sql: 'SELECT DISTINCT model FROM bikes WHERE year = ? AND make = ?', bindings: [2021, 'Yamaha'], index: 'bikes_year_make_model' },
  { query: 'bikes of a make and model', sql: 'SELECT * FROM bikes WHERE make = ? AND model = ? ORDER BY year', bindings: ['Yamaha', 'MT-07'], index: 'bikes_make_model_year' },
  { query: 'bike by slug', sql: 'SELECT * FROM bikes WHERE slug = ?', bindings: ['2021-yamaha-mt-07'], index: 'bikes_slug_unique' },
  {
    query: 'bike parts, strongest evidence first',
    sql: 'SELECT * FROM compatibility_records WHERE bike_id = ? ORDER BY status_rank, confirmations DESC LIMIT 24',
    bindings: [randomUUID()],
    index: 'compatibility_records_bike_status',
  },
  {
    query: 'bike parts of a category',
    sql: 'SELECT * FROM compatibility_records WHERE bike_id = ? AND part_category = ? ORDER BY status_rank, confirmations DESC LIMIT 24',
    bindings: [randomUUID(), 'exhaust'],
    index: 'compatibility_records_bike_category_status',
  },
  { query: 'bike parts of a brand', sql: 'SELECT * FROM compatibility_records WHERE bike_id = ? AND part_brand = ?', bindings: [randomUUID(), 'EBC'], index: 'compatibility_records_bike_brand' },
  { query: 'fitment summary of a part', sql: 'SELECT * FROM compatibility_records WHERE part_id = ? ORDER BY status_rank', bindings: [randomUUID()], index: 'compatibility_records_part_status' },
  { query: 'part by slug', sql: 'SELECT * FROM parts WHERE slug = ?', bindings: ['ebc-fa252hh'], index: 'parts_slug_unique' },
  { query: 'parts of a category', sql: 'SELECT * FROM parts WHERE category = ? ORDER BY brand', bindings: ['exhaust'], index: 'parts_category_brand' },
  { query: 'parts of a brand', sql: 'SELECT * FROM parts WHERE brand = ?', bindings: ['EBC'], index: 'parts_brand' },
  {
    query: 'audit trail of a part on a bike',
    sql: 'SELECT * FROM verification_log WHERE part_id = ? AND bike_id = ? ORDER BY position',
    bindings: [randomUUID(), randomUUID()],
    index: 'verification_log_part_bike_position',
  },
  {
    query: 'hash chain of a pair',
    sql: 'SELECT * FROM verification_log_events WHERE stream_id = ? ORDER BY revision',
    bindings: ['fitment-x_y'],
    index: 'verification_log_events_stream_revision',
  },
  { query: 'current prices of a part', sql: 'SELECT * FROM part_prices WHERE part_id = ?', bindings: [randomUUID()], index: 'part_prices_pkey' },
  {
    query: 'price history of a part at every retailer',
    sql: 'SELECT * FROM price_history WHERE part_id = ? AND day >= ? ORDER BY day',
    bindings: [randomUUID(), '2025-01-01'],
    index: 'price_history_part_day',
  },
  { query: 'best prices of a page of parts', sql: 'SELECT * FROM part_best_prices WHERE part_id IN (?, ?)', bindings: [randomUUID(), randomUUID()], index: 'part_best_prices_pkey' },
  {
    query: "a rider's builds",
    sql: 'SELECT * FROM builds WHERE owner_id = ? AND NOT deleted ORDER BY updated_at DESC',
    bindings: ['rider-1'],
    index: 'builds_owner_updated',
  },
  {
    query: 'search browsed cheapest first in pounds',
    sql: "SELECT part_id FROM search_documents d ORDER BY (d.best_prices ->> 'GBP')::bigint ASC NULLS LAST LIMIT 24",
    bindings: [],
    index: 'search_documents_price_gbp',
  },
  {
    query: 'search with a euro price range',
    sql: "SELECT part_id FROM search_documents d WHERE (d.best_prices ->> 'EUR')::bigint BETWEEN ? AND ?",
    bindings: [1_000, 5_000],
    index: 'search_documents_price_eur',
  },
  { query: 'parts list of a build', sql: 'SELECT * FROM build_parts WHERE build_id = ? ORDER BY position', bindings: [randomUUID()], index: 'build_parts_build_position' },
];

describe('read model indexes', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness(ALL_PROJECTIONS);
  });
  afterAll(async () => {
    await harness.close();
  });

  it.each(HOT_QUERIES)('$query uses $index', async ({ sql, bindings, index }) => {
    expect(await planOf(harness.knex, sql, bindings)).toContain(index);
  });
});
