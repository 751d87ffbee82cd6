import type { Knex } from 'knex';
import { CASCADE_KEY } from './listing-changes.js';
import { FACETS, LISTED_BIKES, LISTINGS, PART_PAGES, VERSIONS } from './bike-listings.tables.js';

/**
 * The reads the API serves from this projection's public views: each one statement, each returning
 * the version (`bike_listing_versions.position`) read in the same snapshot as the rows it labels.
 */

export type ListingSort = 'relevance' | 'price_asc' | 'price_desc' | 'confirmations' | 'name';

export interface ListingFilter {
  /** The rider's currency: the price sort, the price filters and the best price are in it alone. */
  currency: string;
  category?: string;
  brand?: string;
  status?: string;
  minPrice?: number;
  maxPrice?: number;
  sort?: ListingSort;
  limit: number;
  offset: number;
}

export interface ListedBike {
  id: string;
  slug: string;
  year: number;
  make: string;
  model: string;
  trim: string | null;
  engine_cc: number | null;
}

export interface ListingRow {
  part_id: string;
  part_slug: string;
  part_sku: string;
  part_brand: string;
  part_name: string;
  part_category: string;
  part_description: string | null;
  status: string;
  confirmations: number;
  refutations: number;
  retailer_id: string | null;
  retailer_name: string | null;
  price_cents: number | null;
  currency: string | null;
  in_stock: boolean | null;
  url: string | null;
  observed_at: string | null;
  /** The best offer in each currency (in stock first, then cheapest), by currency code. */
  best_offers: ListingOffer[];
}

/** One currency's best offer of a listed part: the fields of an offer of the part page. */
export type ListingOffer = PartPageOffer;

export interface FacetCount {
  value: string;
  count: number;
}

export interface BikePartsPage {
  bike: ListedBike;
  /** Position of the last event that changed this bike's listing. */
  version: string;
  items: ListingRow[];
  total: number;
  facets: { category: FacetCount[]; brand: FacetCount[]; status: FacetCount[] };
}

/**
 * The best price of a listing in the rider's currency (`:currency`), null when the part has no offer
 * in it: the only amount a price sort or filter looks at, so two currencies are never compared.
 */
const CURRENCY_PRICE = `(SELECT (o->>'priceCents')::bigint FROM jsonb_array_elements(best_offers) o WHERE o->>'currency' = :currency)`;

// The part id breaks ties so that pages are stable and equal data always answers the same. Parts
// without an offer in the rider's currency come after those with one, in the default order.
const ORDER: Record<ListingSort, string> = {
  relevance: 'status_rank ASC, confirmations DESC, part_name ASC, part_id ASC',
  price_asc: `${CURRENCY_PRICE} ASC NULLS LAST, status_rank ASC, part_name ASC, part_id ASC`,
  price_desc: `${CURRENCY_PRICE} DESC NULLS LAST, status_rank ASC, part_name ASC, part_id ASC`,
  confirmations: 'confirmations DESC, status_rank ASC, part_name ASC, part_id ASC',
  name: 'part_name ASC, part_id ASC',
};

const ITEM_COLUMNS =
  'part_id, part_slug, part_sku, part_brand, part_name, part_category, part_description, status, confirmations, refutations, retailer_id, retailer_name, price_cents, currency, in_stock, url, observed_at, best_offers';

type Facet = 'category' | 'brand' | 'status';
const FACET_COLUMN: Record<Facet, string> = { category: 'part_category', brand: 'part_brand', status: 'status' };

/** Each facet filter as SQL over the listing rows (named bindings); a facet is counted without its own. */
const FACET_FILTERS: Record<Facet, (filter: ListingFilter) => string | undefined> = {
  category: (filter) => (filter.category ? 'part_category = :category' : undefined),
  brand: (filter) => (filter.brand ? 'lower(part_brand) = lower(:brand)' : undefined),
  status: (filter) => (filter.status ? 'status = :status' : undefined),
};

function facetWhere(filter: ListingFilter, except?: Facet): string {
  const conditions = (Object.keys(FACET_FILTERS) as Facet[]).filter((facet) => facet !== except).map((facet) => FACET_FILTERS[facet](filter)).filter(Boolean);
  return conditions.length === 0 ? 'true' : conditions.join(' AND ');
}

const isUnfiltered = (filter: ListingFilter): boolean =>
  !filter.category && !filter.brand && !filter.status && filter.minPrice === undefined && filter.maxPrice === undefined;

/**
 * One bike's parts page. Unfiltered (the common request): the page is the head of the index of its
 * sort, and total and facets are the counts the projector keeps per bike. Filtered: the bike's rows
 * (price filters applied) are read once and the page, total and facets (each without its own
 * filter, so a rider sees what choosing another value gives) come from them.
 */
export async function readBikePartsPage(knex: Knex, bike: { column: 'id' | 'slug'; value: string }, filter: ListingFilter): Promise<BikePartsPage | undefined> {
  const order = ORDER[filter.sort ?? 'relevance'];
  const bindings = {
    bike: bike.value,
    currency: filter.currency,
    limit: filter.limit,
    offset: filter.offset,
    ...(filter.category ? { category: filter.category } : {}),
    ...(filter.brand ? { brand: filter.brand } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.minPrice === undefined ? {} : { minPrice: filter.minPrice }),
    ...(filter.maxPrice === undefined ? {} : { maxPrice: filter.maxPrice }),
  };
  const head = `WITH bike AS (SELECT id, slug, year, make, model, trim, engine_cc FROM ${LISTED_BIKES} WHERE ${bike.column} = :bike)`;
  const labelled = `(SELECT row_to_json(bike) FROM bike) AS bike,
              (SELECT v.position::text FROM ${VERSIONS} v, bike WHERE v.key = 'bike:' || bike.id) AS version`;
  let sql: string;
  if (isUnfiltered(filter)) {
    const facet = (name: Facet) => `(SELECT coalesce(json_agg(json_build_object('value', f.value, 'count', f.count) ORDER BY f.count DESC, f.value), '[]'::json)
                 FROM ${FACETS} f, bike WHERE f.bike_id = bike.id AND f.facet = '${name}') AS ${name}`;
    sql = `${head},
       page AS (SELECT row_number() OVER (ORDER BY ${order}) AS ord, ${ITEM_COLUMNS}
                  FROM ${LISTINGS} WHERE bike_id = (SELECT id FROM bike) ORDER BY ${order} LIMIT :limit OFFSET :offset)
       SELECT ${labelled},
              (SELECT coalesce(json_agg(page ORDER BY page.ord), '[]'::json) FROM page) AS items,
              (SELECT coalesce(sum(f.count), 0)::int FROM ${FACETS} f, bike WHERE f.bike_id = bike.id AND f.facet = 'status') AS total,
              ${facet('category')}, ${facet('brand')}, ${facet('status')}`;
  } else {
    const prices = [
      ...(filter.minPrice === undefined ? [] : [` AND ${CURRENCY_PRICE} >= :minPrice`]),
      ...(filter.maxPrice === undefined ? [] : [` AND ${CURRENCY_PRICE} <= :maxPrice`]),
    ].join('');
    const facet = (name: Facet) => `(SELECT coalesce(json_agg(f ORDER BY f.count DESC, f.value), '[]'::json)
                 FROM (SELECT ${FACET_COLUMN[name]} AS value, count(*)::int AS count FROM listed WHERE ${facetWhere(filter, name)} GROUP BY 1) f) AS ${name}`;
    sql = `${head},
       listed AS MATERIALIZED (SELECT * FROM ${LISTINGS} WHERE bike_id = (SELECT id FROM bike)${prices}),
       page AS (SELECT row_number() OVER (ORDER BY ${order}) AS ord, ${ITEM_COLUMNS}
                  FROM listed WHERE ${facetWhere(filter)} ORDER BY ${order} LIMIT :limit OFFSET :offset)
       SELECT ${labelled},
              (SELECT coalesce(json_agg(page ORDER BY page.ord), '[]'::json) FROM page) AS items,
              (SELECT count(*) FROM listed WHERE ${facetWhere(filter)})::int AS total,
              ${facet('category')}, ${facet('brand')}, ${facet('status')}`;
  }
  const { rows } = await knex.raw<{ rows: (Omit<BikePartsPage, 'facets' | 'bike'> & { bike: ListedBike | null } & BikePartsPage['facets'])[] }>(sql, bindings);
  const [row] = rows;
  if (!row?.bike) return undefined;
  return {
    bike: row.bike,
    version: row.version ?? '0',
    items: row.items,
    total: row.total,
    facets: { category: row.category, brand: row.brand, status: row.status },
  };
}

export interface PartPageOffer {
  retailerId: string;
  retailerName: string;
  priceCents: number;
  currency: string;
  inStock: boolean;
  url: string;
  observedAt: string;
}

export interface PartPage {
  id: string;
  slug: string;
  sku: string;
  brand: string;
  name: string;
  category: string;
  description: string | null;
  attributes: Record<string, unknown> | null;
  prices: PartPageOffer[];
  fitment: { bike: { id: string; slug: string; year: number; make: string; model: string; trim: string | null; engineCc: number | null }; status: string; confirmations: number; refutations: number }[];
}

/** A part's page as the projector wrote it, with its version; undefined for an unknown part. */
export async function readPartPage(knex: Knex, part: { column: 'id' | 'slug'; value: string }): Promise<{ page: PartPage; version: string } | undefined> {
  const { rows } = await knex.raw<{ rows: { page: PartPage; version: string | null }[] }>(
    `SELECT p.page, v.position::text AS version FROM ${PART_PAGES} p LEFT JOIN ${VERSIONS} v ON v.key = 'part:' || p.part_id
      WHERE p.${part.column === 'id' ? 'part_id' : 'slug'} = ?`,
    [part.value],
  );
  const [row] = rows;
  return row && { page: row.page, version: row.version ?? '0' };
}

export interface BikeCascade {
  years: number[];
  makes: string[];
  models: string[];
  version: string;
}

/** The year -> make -> model cascade: each list narrows by the choices made so far. */
export async function readBikeCascade(knex: Knex, choice: { year?: number; make?: string }): Promise<BikeCascade> {
  const { rows } = await knex.raw<{ rows: BikeCascade[] }>(
    `SELECT (SELECT coalesce(json_agg(year ORDER BY year DESC), '[]'::json) FROM (SELECT DISTINCT year FROM ${LISTED_BIKES}) y) AS years,
            (SELECT coalesce(json_agg(make ORDER BY make), '[]'::json) FROM (SELECT DISTINCT make FROM ${LISTED_BIKES} WHERE year = :year) m) AS makes,
            (SELECT coalesce(json_agg(model ORDER BY model), '[]'::json)
               FROM (SELECT DISTINCT model FROM ${LISTED_BIKES} WHERE year = :year AND lower(make) = lower(:make)) m) AS models,
            coalesce((SELECT position::text FROM ${VERSIONS} WHERE key = :key), '0') AS version`,
    { year: choice.year ?? null, make: choice.make ?? null, key: CASCADE_KEY },
  );
  return rows[0]!;
}
