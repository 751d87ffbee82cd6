import type { ProjectionContext } from '@mpp/projection-runner';
import { COMPATIBILITY_RECORDS as RECORDS } from '../compatibility/compatibility.tables.js';
import type { Pair } from '../compatibility/compatibility-fold.js';
import { writeKeyVersions } from '../shared/key-versions.js';
import { keysFilter, noKeys, type Keys } from '../shared/keys-filter.js';
import { touch, versionsOf, type ListingChanges } from './listing-changes.js';
import { FACETS, LISTED_BIKES, LISTINGS, PART_PAGES, VERSIONS } from './bike-listings.tables.js';

/**
 * Derives the listing rows, facets, part pages and versions of whatever a live batch touched from
 * the private state the composed projections just wrote (catalog, compatibility, prices tables in
 * this generation's schema), in the batch's transaction. Row writes keep rows whose values did not
 * change; versions follow the events that touched a key (versionsOf), so they are the same however
 * the log was cut into batches. A bulk batch leaves all of it to its finish (deriveAllListings,
 * bulk-versions.ts).
 */
export async function refreshListings(ctx: ProjectionContext, changes: ListingChanges): Promise<void> {
  const bikeIds = [...changes.bikes.keys()];
  await copyRegisteredBikes(ctx, bikeIds);
  // Parts whose every listing is re-derived, with the position of the last event that touched them.
  const parts = new Map(changes.parts);
  for (const [retailer, position] of changes.retailers) for (const part of await partsPricedBy(ctx, [retailer])) touch(parts, part, position);
  const pairs = [...changes.pairs.values()];
  const { facetsChanged } = await refreshListingRows(ctx, { pairs, partIds: [...parts.keys()] });
  await refreshFacets(ctx, facetsChanged);

  const bikes = new Map(changes.bikes);
  for (const pair of pairs) touch(bikes, pair.bikeId, pair.position);
  for (const { bike_id, position } of await bikesListing(ctx, parts)) touch(bikes, bike_id, BigInt(position));
  const pages = new Map(parts);
  for (const pair of pairs) touch(pages, pair.partId, pair.position);
  for (const { part_id, position } of await partsListedOn(ctx, changes.bikes)) touch(pages, part_id, BigInt(position));
  await refreshPartPages(ctx, [...pages.keys()]);

  const cascade = bikeIds.length === 0 ? undefined : [...changes.bikes.values()].reduce((max, at) => (at > max ? at : max));
  await writeKeyVersions(ctx, VERSIONS, versionsOf({ bikes, parts: pages, cascade }));
}

/**
 * The end of a bulk catch-up: every listing row, facet and part page derived from the state as it
 * now stands, with the same statements as a batch but over every pair and part (a batch derives what
 * it touched from the same state, so both leave the same rows).
 */
export async function deriveAllListings(ctx: ProjectionContext): Promise<void> {
  await refreshListingRows(ctx, 'all');
  await refreshFacets(ctx, 'all');
  await refreshPartPages(ctx, 'all');
}

/** Every bike listing one of the parts, with the position of the event that touched the part. */
async function bikesListing(ctx: ProjectionContext, parts: Map<string, bigint>): Promise<{ bike_id: string; position: string }[]> {
  if (parts.size === 0) return [];
  const { rows } = await ctx.trx.raw<{ rows: { bike_id: string; position: string }[] }>(
    // Each part's records by its index (OFFSET 0 keeps the lookup): a batch that names thousands of
    // parts had the planner hash the whole table (500,000 records) instead.
    `SELECT r.bike_id, max(t.position)::text AS position
       FROM unnest(?::uuid[], ?::bigint[]) AS t(part_id, position)
      CROSS JOIN LATERAL (SELECT bike_id FROM ${ctx.qualified(RECORDS)} WHERE part_id = t.part_id OFFSET 0) r
      GROUP BY r.bike_id`,
    [[...parts.keys()], [...parts.values()].map(String)],
  );
  return rows;
}

/** The bikes a batch registered, as the listings show them. */
export async function copyRegisteredBikes(ctx: ProjectionContext, bikeIds: string[]): Promise<void> {
  if (bikeIds.length === 0) return;
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(LISTED_BIKES)} (id, slug, year, make, model, trim, engine_cc)
     SELECT id, slug, year, make, model, trim, engine_cc FROM ${ctx.qualified('bikes')} WHERE id = ANY(?::uuid[])
     ON CONFLICT (id) DO NOTHING`,
    [bikeIds],
  );
}

async function partsPricedBy(ctx: ProjectionContext, retailerIds: string[]): Promise<string[]> {
  if (retailerIds.length === 0) return [];
  const { rows } = await ctx.trx.raw<{ rows: { part_id: string }[] }>(
    `SELECT DISTINCT part_id FROM ${ctx.qualified('part_prices')} WHERE retailer_id = ANY(?::uuid[])`,
    [retailerIds],
  );
  return rows.map((row) => row.part_id);
}

/** A late-registered bike appears in the fitment lists of the part pages that already name it. */
async function partsListedOn(ctx: ProjectionContext, bikes: Map<string, bigint>): Promise<{ part_id: string; position: string }[]> {
  if (bikes.size === 0) return [];
  const { rows } = await ctx.trx.raw<{ rows: { part_id: string; position: string }[] }>(
    `SELECT r.part_id, max(t.position)::text AS position
       FROM unnest(?::uuid[], ?::bigint[]) AS t(bike_id, position) JOIN ${ctx.qualified(RECORDS)} r ON r.bike_id = t.bike_id
      GROUP BY r.part_id`,
    [[...bikes.keys()], [...bikes.values()].map(String)],
  );
  return rows;
}

const LISTING_COLUMNS = [
  'part_slug', 'part_sku', 'part_brand', 'part_name', 'part_category', 'part_description',
  'status', 'status_rank', 'confirmations', 'refutations',
  'retailer_id', 'retailer_name', 'price_cents', 'currency', 'in_stock', 'url', 'observed_at', 'best_offers',
];

/**
 * The listing rows of the touched pairs and of every pair of the touched parts, joined once here
 * instead of on every request; returns the bikes whose facets changed (a row inserted, or its
 * category, brand or status changed: a new price alone leaves the counts as they are). `'all'`:
 * every pair, and the caller counts every bike's facets again (nothing is returned: sorting out
 * which of 400,000 rows changed costs more than counting them all).
 */
async function refreshListingRows(ctx: ProjectionContext, touched: { pairs: readonly Pair[]; partIds: string[] } | 'all'): Promise<{ facetsChanged: string[] }> {
  if (touched !== 'all' && touched.pairs.length === 0 && touched.partIds.length === 0) return { facetsChanged: [] };
  const q = (table: string) => ctx.qualified(table);
  const target =
    touched === 'all'
      ? { sql: `SELECT bike_id, part_id FROM ${q(RECORDS)}`, bindings: [] }
      : {
          sql: `SELECT bike_id, part_id FROM unnest(?::uuid[], ?::uuid[]) AS t(bike_id, part_id)
                UNION
                SELECT bike_id, part_id FROM ${q(RECORDS)} WHERE part_id = ANY(?::uuid[])`,
          bindings: [touched.pairs.map((pair) => pair.bikeId), touched.pairs.map((pair) => pair.partId), touched.partIds],
        };
  const offers = `offers AS (
       SELECT part_id, jsonb_agg(jsonb_build_object('currency', currency, 'retailerId', retailer_id, 'retailerName', retailer_name, 'priceCents', price_cents,
                                                    'inStock', in_stock, 'url', url, 'observedAt', observed_at)
                                 ORDER BY currency) AS best_offers
         FROM (SELECT DISTINCT ON (pp.part_id, pp.currency) pp.part_id, pp.currency, pp.retailer_id, r.name AS retailer_name, pp.price_cents, pp.in_stock, pp.url, pp.observed_at
                 FROM ${q('part_prices')} pp JOIN ${q('retailers')} r ON r.id = pp.retailer_id
                WHERE pp.part_id IN (SELECT part_id FROM target)
                ORDER BY pp.part_id, pp.currency, pp.in_stock DESC, pp.price_cents, pp.retailer_id) best
        GROUP BY part_id
     )`;
  const upsert = `INSERT INTO ${q(LISTINGS)} (bike_id, part_id, ${LISTING_COLUMNS.join(', ')})
     SELECT cr.bike_id, cr.part_id, p.slug, p.sku, p.brand, p.name, p.category, p.description,
            cr.status, cr.status_rank, cr.confirmations, cr.refutations,
            bp.retailer_id, r.name, bp.price_cents, bp.currency, bp.in_stock, pp.url, bp.observed_at, coalesce(o.best_offers, '[]'::jsonb)
       FROM target t
       JOIN ${q(RECORDS)} cr ON cr.bike_id = t.bike_id AND cr.part_id = t.part_id
       JOIN ${q('parts')} p ON p.id = cr.part_id
       LEFT JOIN ${q('part_best_prices')} bp ON bp.part_id = cr.part_id
       LEFT JOIN ${q('part_prices')} pp ON pp.part_id = bp.part_id AND pp.retailer_id = bp.retailer_id
       LEFT JOIN ${q('retailers')} r ON r.id = bp.retailer_id
       LEFT JOIN offers o ON o.part_id = cr.part_id
     ON CONFLICT (bike_id, part_id) DO UPDATE SET ${LISTING_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
      WHERE (${LISTING_COLUMNS.map((column) => `${LISTINGS}.${column}`).join(', ')}) IS DISTINCT FROM (${LISTING_COLUMNS.map((column) => `EXCLUDED.${column}`).join(', ')})`;
  if (touched === 'all') {
    await ctx.trx.raw(`WITH target AS (${target.sql}), ${offers} ${upsert}`, target.bindings);
    return { facetsChanged: [] };
  }
  const { rows } = await ctx.trx.raw<{ rows: { bike_id: string; facets_changed: boolean }[] }>(
    `WITH target AS (${target.sql}), ${offers},
     before AS (
       SELECT l.bike_id, l.part_id, l.part_category, l.part_brand, l.status FROM ${q(LISTINGS)} l JOIN target t ON t.bike_id = l.bike_id AND t.part_id = l.part_id
     ),
     upserted AS (${upsert}
     RETURNING bike_id, part_id, part_category, part_brand, status
     )
     -- Every CTE reads the snapshot before the upsert, so "before" holds the rows as they were.
     SELECT u.bike_id, bool_or(b.part_id IS NULL OR (b.part_category, b.part_brand, b.status) IS DISTINCT FROM (u.part_category, u.part_brand, u.status)) AS facets_changed
       FROM upserted u LEFT JOIN before b ON b.bike_id = u.bike_id AND b.part_id = u.part_id
      GROUP BY u.bike_id`,
    target.bindings,
  );
  return { facetsChanged: rows.filter((row) => row.facets_changed).map((row) => row.bike_id) };
}

/** The unfiltered facets of each changed bike (or of every bike), counted once per change instead of once per request. */
async function refreshFacets(ctx: ProjectionContext, bikeIds: Keys): Promise<void> {
  if (noKeys(bikeIds)) return;
  const { sql: which, bindings } = keysFilter('bike_id', bikeIds);
  await ctx.trx.raw(`DELETE FROM ${ctx.qualified(FACETS)} WHERE ${which}`, bindings);
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(FACETS)} (bike_id, facet, value, count)
     SELECT bike_id, facet, value, count(*) FROM ${ctx.qualified(LISTINGS)}
          CROSS JOIN LATERAL (VALUES ('category', part_category), ('brand', part_brand), ('status', status)) AS f(facet, value)
      WHERE ${which}
      GROUP BY bike_id, facet, value`,
    bindings,
  );
}

/**
 * The whole part page (part, offers, fitment) as one JSON document per part. Offers keep
 * `observedAt`: whether one is stale depends on the reader's clock. Offers and fitment are each
 * aggregated in one grouped pass over the parts named (`'all'`: every part, the bulk finish), then
 * joined to their parts: for every part, per-part subqueries cost one index probe per record and
 * bike, and a page is rewritten only where it changed.
 */
async function refreshPartPages(ctx: ProjectionContext, partIds: Keys): Promise<void> {
  if (noKeys(partIds)) return;
  const q = (table: string) => ctx.qualified(table);
  // The ids bound once per filter, not named once in a CTE: each filter stays an `= ANY(array)`
  // index condition, where a materialized CTE of unknown size could be planned as a hash of the table.
  const offered = keysFilter('pp.part_id', partIds);
  const fitted = keysFilter('cr.part_id', partIds);
  const paged = keysFilter('p.id', partIds);
  await ctx.trx.raw(
    `WITH offers AS (
       SELECT pp.part_id,
              jsonb_agg(jsonb_build_object('retailerId', pp.retailer_id, 'retailerName', r.name, 'priceCents', pp.price_cents,
                                           'currency', pp.currency, 'inStock', pp.in_stock, 'url', pp.url, 'observedAt', pp.observed_at)
                        ORDER BY pp.in_stock DESC, pp.price_cents, r.name, pp.retailer_id) AS prices
         FROM ${q('part_prices')} pp JOIN ${q('retailers')} r ON r.id = pp.retailer_id
        WHERE ${offered.sql}
        GROUP BY pp.part_id),
     fitment AS (
       SELECT cr.part_id,
              jsonb_agg(jsonb_build_object(
                          'bike', jsonb_build_object('id', b.id, 'slug', b.slug, 'year', b.year, 'make', b.make, 'model', b.model, 'trim', b.trim, 'engineCc', b.engine_cc),
                          'status', cr.status, 'confirmations', cr.confirmations, 'refutations', cr.refutations)
                        ORDER BY cr.status_rank, b.make, b.model, b.year DESC, b.trim, b.id) AS fitment
         FROM ${q(RECORDS)} cr JOIN ${q('bikes')} b ON b.id = cr.bike_id
        WHERE ${fitted.sql}
        GROUP BY cr.part_id)
     INSERT INTO ${q(PART_PAGES)} (part_id, slug, page)
     SELECT p.id, p.slug, jsonb_build_object(
              'id', p.id, 'slug', p.slug, 'sku', p.sku, 'brand', p.brand, 'name', p.name, 'category', p.category,
              'description', p.description, 'attributes', p.attributes,
              'prices', coalesce(offers.prices, '[]'::jsonb), 'fitment', coalesce(fitment.fitment, '[]'::jsonb))
       FROM ${q('parts')} p LEFT JOIN offers ON offers.part_id = p.id LEFT JOIN fitment ON fitment.part_id = p.id
      WHERE ${paged.sql}
     ON CONFLICT (part_id) DO UPDATE SET page = EXCLUDED.page, slug = EXCLUDED.slug
      WHERE ${PART_PAGES}.page IS DISTINCT FROM EXCLUDED.page`,
    [...offered.bindings, ...fitted.bindings, ...paged.bindings],
  );
}
