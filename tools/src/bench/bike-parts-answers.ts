import type pg from 'pg';
import { isPriceStale, resolveRegion } from '@mpp/domain';
import { COMPATIBILITY_RECORDS, PARTS, RETAILERS, PART_PRICES, BIKES } from '@mpp/projections';

/**
 * The answer of `GET /api/bikes/:id/parts` (default filters: relevance order, a page) computed
 * outside the API, in the same JSON shape:
 * - `readModelAnswer`: the queries the API's BikePartsHandler runs, over the projected tables;
 * - `readModelOneStatementAnswer`: the same tables, everything in one statement;
 * - `crudAnswer`: the CRUD design, status / counts / best price per part computed with GROUP BY joins
 *   over the normalised `crud_*` tables at request time (crud-tables.ts), in one statement.
 * Like the API without `region`, each prices in the default region's currency alone: the best offer
 * is the best one in that currency (none when the part has no offer in it) and a price sort never
 * ranks two currencies against each other.
 */

/** The currency the API answers in when a read names no region. */
const DEFAULT_CURRENCY = resolveRegion(undefined).currency;

export interface BikePartsAnswer {
  bike: BikeJson;
  items: {
    part: { id: string; slug: string; sku: string; brand: string; name: string; category: string; description: string | null };
    status: string;
    confirmations: number;
    refutations: number;
    bestPrice: null | {
      retailer: { id: string; name: string };
      priceCents: number;
      currency: string;
      inStock: boolean;
      url: string;
      observedAt: string;
      stale: boolean;
    };
  }[];
  facets: { category: FacetCount[]; brand: FacetCount[]; status: FacetCount[] };
  total: number;
  page: number;
  limit: number;
}

interface BikeJson {
  id: string;
  slug: string;
  year: number;
  make: string;
  model: string;
  trim: string | null;
  engineCc: number | null;
}

interface FacetCount {
  value: string;
  count: number;
}

interface ItemRow {
  id: string;
  slug: string;
  sku: string;
  brand: string;
  name: string;
  category: string;
  description: string | null;
  status: string;
  confirmations: number;
  refutations: number;
  retailer_id: string | null;
  retailer_name: string | null;
  price_cents: number | null;
  currency: string | null;
  in_stock: boolean | null;
  url: string | null;
  observed_at: Date | string | null;
}

export class BikeNotFound extends Error {}

export interface Page {
  page: number;
  limit: number;
}

async function bike(pool: pg.Pool, table: typeof BIKES | 'crud_bikes', id: string): Promise<BikeJson> {
  const { rows } = await pool.query<{ id: string; slug: string; year: number; make: string; model: string; trim: string | null; engine_cc: number | null }>(
    `SELECT id, slug, year, make, model, trim, engine_cc FROM ${table} WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new BikeNotFound(id);
  return { id: row.id, slug: row.slug, year: row.year, make: row.make, model: row.model, trim: row.trim, engineCc: row.engine_cc };
}

function item(row: ItemRow, now: Date): BikePartsAnswer['items'][number] {
  const observedAt = row.observed_at == null ? null : new Date(row.observed_at).toISOString();
  return {
    part: { id: row.id, slug: row.slug, sku: row.sku, brand: row.brand, name: row.name, category: row.category, description: row.description },
    status: row.status,
    confirmations: row.confirmations,
    refutations: row.refutations,
    bestPrice:
      row.price_cents == null || observedAt == null
        ? null
        : {
            retailer: { id: row.retailer_id!, name: row.retailer_name! },
            priceCents: row.price_cents,
            currency: row.currency!,
            inStock: row.in_stock!,
            url: row.url!,
            observedAt,
            stale: isPriceStale(observedAt, now.toISOString()),
          },
  };
}

/**
 * A listed part's best offer in the currency `$4` (in stock first, then cheapest), as bike-listings
 * derives it for the API: `part_best_prices` holds one offer per part across currencies, so it
 * cannot answer for one currency. A lateral read of the part's current prices (their primary key's
 * prefix), for the page's rows alone.
 */
const BEST_IN_CURRENCY = (part: string) => `LEFT JOIN LATERAL (
      SELECT retailer_id, price_cents, currency, in_stock, url, observed_at FROM ${PART_PRICES}
       WHERE part_id = ${part} AND currency = $4 ORDER BY in_stock DESC, price_cents, retailer_id LIMIT 1) bp ON true
    LEFT JOIN ${RETAILERS} r ON r.id = bp.retailer_id`;

const READ_MODEL_FROM = `FROM ${COMPATIBILITY_RECORDS} cr
  JOIN ${PARTS} p ON p.id = cr.part_id
 WHERE cr.bike_id = $1`;

/** The statements BikePartsHandler sends for a request without filters, run in parallel as it does. */
export async function readModelAnswer(pool: pg.Pool, bikeId: string, { page, limit }: Page, now: Date): Promise<BikePartsAnswer> {
  const found = await bike(pool, BIKES, bikeId);
  const facet = (column: string) =>
    pool
      .query<FacetCount>(`SELECT ${column} AS value, count(*)::int AS count ${READ_MODEL_FROM} GROUP BY ${column} ORDER BY count DESC, value`, [bikeId])
      .then((r) => r.rows);
  const [rows, total, category, brand, status] = await Promise.all([
    pool
      .query<ItemRow>(
        `SELECT l.*, bp.retailer_id, r.name AS retailer_name, bp.price_cents, bp.currency, bp.in_stock, bp.url, bp.observed_at
           FROM (SELECT p.id, p.slug, p.sku, p.brand, p.name, p.category, p.description, cr.status, cr.confirmations, cr.refutations, cr.status_rank, cr.part_name
                   ${READ_MODEL_FROM}
                  ORDER BY cr.status_rank ASC, cr.confirmations DESC, cr.part_name ASC
                  LIMIT $2 OFFSET $3) l
           ${BEST_IN_CURRENCY('l.id')}
          ORDER BY l.status_rank ASC, l.confirmations DESC, l.part_name ASC`,
        [bikeId, limit, (page - 1) * limit, DEFAULT_CURRENCY],
      )
      .then((r) => r.rows),
    pool.query<{ total: number }>(`SELECT count(*)::int AS total ${READ_MODEL_FROM}`, [bikeId]).then((r) => r.rows[0]!.total),
    facet('cr.part_category'),
    facet('cr.part_brand'),
    facet('cr.status'),
  ]);
  return { bike: found, items: rows.map((row) => item(row, now)), facets: { category, brand, status }, total, page, limit };
}

/**
 * The same read model in one statement, as BikePartsHandler now queries it: what the former six round
 * trips (bike, page, count, three facets) cost compared with one, with the data design held constant.
 */
const READ_MODEL_ONE_STATEMENT_SQL = `
WITH listed AS MATERIALIZED (
  SELECT cr.part_id, cr.status, cr.status_rank, cr.confirmations, cr.refutations, cr.part_category, cr.part_brand, cr.part_name
    FROM ${COMPATIBILITY_RECORDS} cr JOIN ${PARTS} p ON p.id = cr.part_id
   WHERE cr.bike_id = $1
),
page AS (
  SELECT l.status_rank, l.part_name, p.id, p.slug, p.sku, p.brand, p.name, p.category, p.description,
         l.status, l.confirmations, l.refutations,
         bp.retailer_id, r.name AS retailer_name, bp.price_cents, bp.currency, bp.in_stock, bp.url, bp.observed_at
    FROM (SELECT * FROM listed ORDER BY status_rank, confirmations DESC, part_name LIMIT $2 OFFSET $3) l
    JOIN ${PARTS} p ON p.id = l.part_id
    ${BEST_IN_CURRENCY('l.part_id')}
)
SELECT
  (SELECT coalesce(json_agg(page ORDER BY page.status_rank, page.confirmations DESC, page.part_name), '[]') FROM page) AS items,
  (SELECT count(*)::int FROM listed) AS total,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT part_category AS value, count(*)::int AS n FROM listed GROUP BY part_category) c) AS category,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT part_brand AS value, count(*)::int AS n FROM listed GROUP BY part_brand) c) AS brand,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT status AS value, count(*)::int AS n FROM listed GROUP BY status) c) AS status`;

export async function readModelOneStatementAnswer(pool: pg.Pool, bikeId: string, page: Page, now: Date): Promise<BikePartsAnswer> {
  return oneStatementAnswer(pool, BIKES, READ_MODEL_ONE_STATEMENT_SQL, bikeId, page, now, [DEFAULT_CURRENCY]);
}

/** The CRUD design's rows for one bike: every join and GROUP BY a request pays. */
const CRUD_LISTED = `
WITH pairs AS MATERIALIZED (
  SELECT part_id FROM crud_fitments WHERE bike_id = $1
  UNION
  SELECT part_id FROM crud_verifications WHERE bike_id = $1
),
official AS (
  SELECT part_id, bool_or(NOT withdrawn) AS published FROM crud_fitments WHERE bike_id = $1 GROUP BY part_id
),
evidence AS (
  SELECT part_id, count(*) FILTER (WHERE fits)::int AS confirmations, count(*) FILTER (WHERE NOT fits)::int AS refutations
    FROM crud_verifications
   WHERE bike_id = $1 AND state = 'active' AND NOT hidden
   GROUP BY part_id
),
best AS (
  SELECT DISTINCT ON (o.part_id) o.part_id, o.retailer_id, r.name AS retailer_name, o.price_cents, o.currency, o.in_stock, o.url, o.observed_at
    FROM crud_prices o JOIN crud_retailers r ON r.id = o.retailer_id
   WHERE o.part_id IN (SELECT part_id FROM pairs) AND o.currency = $4
   ORDER BY o.part_id, o.in_stock DESC, o.price_cents ASC
),
listed AS MATERIALIZED (
  SELECT p.id, p.slug, p.sku, p.brand, p.name, p.category, p.description,
         CASE WHEN coalesce(f.published, false) THEN 'verified'
              WHEN coalesce(e.confirmations, 0) > coalesce(e.refutations, 0) THEN 'community'
              WHEN coalesce(e.refutations, 0) > 0 THEN 'disputed'
              ELSE 'no_data' END AS status,
         coalesce(e.confirmations, 0) AS confirmations, coalesce(e.refutations, 0) AS refutations,
         b.retailer_id, b.retailer_name, b.price_cents, b.currency, b.in_stock, b.url, b.observed_at
    FROM pairs
    JOIN crud_parts p ON p.id = pairs.part_id
    LEFT JOIN official f ON f.part_id = pairs.part_id
    LEFT JOIN evidence e ON e.part_id = pairs.part_id
    LEFT JOIN best b ON b.part_id = pairs.part_id
),
ranked AS (
  SELECT *, array_position(ARRAY['verified', 'community', 'disputed', 'no_data'], status) AS status_rank FROM listed
)`;

const CRUD_SQL = `${CRUD_LISTED}
SELECT
  (SELECT coalesce(json_agg(x ORDER BY x.status_rank, x.confirmations DESC, x.name), '[]')
     FROM (SELECT * FROM ranked ORDER BY status_rank, confirmations DESC, name LIMIT $2 OFFSET $3) x) AS items,
  (SELECT count(*)::int FROM listed) AS total,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT category AS value, count(*)::int AS n FROM listed GROUP BY category) c) AS category,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT brand AS value, count(*)::int AS n FROM listed GROUP BY brand) c) AS brand,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT status AS value, count(*)::int AS n FROM listed GROUP BY status) c) AS status`;

/** `?category=…&sort=price_asc`: the page and the other facets filtered, the category facet counted without its own filter. */
const CRUD_FILTERED_SQL = `${CRUD_LISTED}
SELECT
  (SELECT coalesce(json_agg(x ORDER BY x.price_cents ASC NULLS LAST, x.status_rank, x.name, x.id), '[]')
     FROM (SELECT * FROM ranked WHERE category = $5 ORDER BY price_cents ASC NULLS LAST, status_rank, name, id LIMIT $2 OFFSET $3) x) AS items,
  (SELECT count(*)::int FROM listed WHERE category = $5) AS total,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT category AS value, count(*)::int AS n FROM listed GROUP BY category) c) AS category,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT brand AS value, count(*)::int AS n FROM listed WHERE category = $5 GROUP BY brand) c) AS brand,
  (SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')
     FROM (SELECT status AS value, count(*)::int AS n FROM listed WHERE category = $5 GROUP BY status) c) AS status`;

export async function crudAnswer(pool: pg.Pool, bikeId: string, page: Page, now: Date, category?: string): Promise<BikePartsAnswer> {
  return category === undefined
    ? oneStatementAnswer(pool, 'crud_bikes', CRUD_SQL, bikeId, page, now, [DEFAULT_CURRENCY])
    : oneStatementAnswer(pool, 'crud_bikes', CRUD_FILTERED_SQL, bikeId, page, now, [DEFAULT_CURRENCY, category]);
}

async function oneStatementAnswer(pool: pg.Pool, bikes: typeof BIKES | 'crud_bikes', sql: string, bikeId: string, { page, limit }: Page, now: Date, more: string[] = []): Promise<BikePartsAnswer> {
  const found = await bike(pool, bikes, bikeId);
  const { rows } = await pool.query<{ items: ItemRow[]; total: number; category: FacetCount[]; brand: FacetCount[]; status: FacetCount[] }>(sql, [
    bikeId,
    limit,
    (page - 1) * limit,
    ...more,
  ]);
  const row = rows[0]!;
  return {
    bike: found,
    items: row.items.map((r) => item(r, now)),
    facets: { category: row.category, brand: row.brand, status: row.status },
    total: row.total,
    page,
    limit,
  };
}
