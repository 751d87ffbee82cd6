import type { Knex } from 'knex';
import { COMPATIBILITY_STATUSES, type CompatibilityStatus } from '@mpp/domain';
import type { CatalogSearch, FacetValue, SearchDocument, SearchHit, SearchQuery, SearchResult, SearchSort } from '../catalog-search.port.js';
import { analyseQuery } from '../query-normaliser.js';
import { resolveSearchQuery, type ResolvedSearchQuery } from '../search-query.js';
import { buildSynonymIndex, type SynonymIndex } from '../synonyms.js';
import { and, joinSql, raw, sql, type SqlFragment } from './sql-fragment.js';
import { upsertSearchDocuments } from './search-document-rows.js';
import { searchTables, type SearchTables } from './search-tables.js';
import { tsquerySource } from './text-query.js';
import { findCorrections } from './typo-corrections.js';

export interface PostgresCatalogSearchOptions {
  knex: Knex;
  /** Read (and write) the tables of this schema instead of the public views of the active generation. */
  schema?: string;
  synonyms?: SynonymIndex;
}

/** A parameter, not literal SQL: knex would take its `?` for a placeholder. */
const BIKE_ENTRY_PATH = '$[*] ? (@.bikeId == $id)';
/** Facet values returned per facet at most (Meilisearch's default maxValuesPerFacet). */
const MAX_FACET_VALUES = 100;
/**
 * ts_rank weights for D, C, B, A: description, category, bikes, sku/brand/name. ts_rank, not
 * ts_rank_cd: every match is ranked to find the page, and on a word that matches 16,000 parts
 * (a brand) ts_rank_cd's cover search cost more than the rest of the query together.
 */
const RANK_WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';

/**
 * The embedded default: PostgreSQL full text search over `search_documents` (weighted tsvector,
 * GIN), typo tolerance through the trigram-indexed vocabulary, exact SKU first, synonyms expanded
 * into the tsquery, facets by aggregation over the matches. One statement per search (plus one
 * vocabulary lookup when the query has words long enough to be mistyped).
 */
export function createPostgresCatalogSearch(options: PostgresCatalogSearchOptions): CatalogSearch {
  const { knex } = options;
  const tables = searchTables(options.schema);
  const synonyms = options.synonyms ?? buildSynonymIndex();
  return {
    engine: 'postgres',
    // The projection (or the caller of upsert) owns the tables; nothing to set up.
    prepare: async () => undefined,
    upsert: (documents: readonly SearchDocument[]) => upsertSearchDocuments(knex, tables, documents),
    search: async (query: SearchQuery) => search(knex, tables, synonyms, resolveSearchQuery(query)),
    // The knex pool belongs to whoever passed it in.
    close: async () => undefined,
  };
}

interface ResultRow {
  total: number;
  hits: (Omit<SearchHit, 'bestPriceCents' | 'otherPrices'> & { bestPriceCents: number | string | null; otherPrices: { currency: string; priceCents: number | string }[] })[];
  category: FacetValue[];
  brand: FacetValue[];
  status: FacetValue[];
}

async function search(knex: Knex, tables: SearchTables, synonyms: SynonymIndex, query: ResolvedSearchQuery): Promise<SearchResult> {
  const { terms, skuKeys } = analyseQuery(query.q, synonyms);
  const fuzzyWords = terms.flatMap((t) => (t.kind === 'word' && t.fuzzy ? [{ word: t.word, prefix: t.prefix }] : []));
  const corrections = await findCorrections(knex, tables, fuzzyWords);
  const text = terms.length > 0 ? tsquerySource(terms, corrections) : undefined;
  const tsquery = text === undefined ? undefined : sql`to_tsquery('english', ${text})`;

  // Stop words only ("the", "for") leave an empty tsquery: that query browses like an empty one.
  const textMatch = tsquery && sql`(numnode(${tsquery}) = 0 OR d.search_vector @@ ${tsquery} OR d.sku_key = ANY(${skuKeys}::text[]))`;
  const rank = tsquery ? sql`ts_rank(${RANK_WEIGHTS}::float4[], d.search_vector, ${tsquery})` : raw('0::float4');
  const skuHit = skuKeys.length > 0 ? sql`d.sku_key = ANY(${skuKeys}::text[])` : raw('false');
  const bike = query.bikeId;
  // The pair's entry in the document: status and that bike's counts.
  // Looked up once per document (OFFSET 0 keeps the planner from copying the lookup into each use):
  // every use would otherwise decompress the bikes JSON again.
  const bikeLookup = bike
    ? sql`CROSS JOIN LATERAL (SELECT jsonb_path_query_first(d.bikes, ${BIKE_ENTRY_PATH}::jsonpath, jsonb_build_object('id', ${bike}::text)) AS entry OFFSET 0) b`
    : raw('');
  const bikeEntry = bike ? raw('b.entry') : undefined;

  // Facet filters are not conditions of the match but flags on it, so each facet can count the
  // matches without its own filter; the statuses a part has are a bit mask, cheap to test per facet.
  const statusMask = bikeEntry ? sql`coalesce(1 << (array_position(${raw(STATUS_ORDER)}, ${bikeEntry} ->> 'status') - 1), 0)` : raw('d.status_mask');
  const categoryOk = (row: string) => (query.category ? sql`${raw(row)}.category = ${query.category}` : raw('true'));
  const brandOk = (row: string) => (query.brand ? sql`lower(${raw(row)}.brand) = lower(${query.brand})` : raw('true'));
  const statusBit = (status: CompatibilityStatus) => raw(String(1 << COMPATIBILITY_STATUSES.indexOf(status)));
  // The best price in the asked currency: the only amount a price sort or filter compares. The code
  // is inlined (resolveSearchQuery let only three capital letters through) so that the expression is
  // the one each currency's index is built on (search_documents_price_<code>).
  const price = raw(`(d.best_prices ->> '${query.currency}')::bigint`);
  const matched = sql`
    SELECT d.part_id, d.category, d.brand, d.name, ${price} AS price,
           ${categoryOk('d')} AS category_ok,
           ${brandOk('d')} AS brand_ok,
           (${statusMask}) AS status_mask,
           ${bikeEntry ? sql`${bikeEntry} ->> 'status'` : raw('NULL::text')} AS bike_status,
           ${bikeEntry ? sql`(${bikeEntry} ->> 'confirmations')::int` : raw('d.confirmations')} AS confirmations,
           ${bikeEntry ? sql`(${bikeEntry} ->> 'refutations')::int` : raw('d.refutations')} AS refutations,
           ${rank} AS rank, ${skuHit} AS sku_hit,
           ${query.status ? (bikeEntry ? sql`(${bikeEntry} ->> 'status') = ${query.status}` : sql`(d.status_mask & ${statusBit(query.status)}) <> 0`) : raw('true')} AS status_ok
      FROM ${raw(tables.documents)} d ${bikeLookup}
     WHERE ${and([
       textMatch,
       bike ? sql`d.bike_ids @> ARRAY[${bike}::text]` : undefined,
       bike && query.fits ? sql`d.fits && ARRAY[${`${bike}:verified`}::text, ${`${bike}:community`}::text]` : undefined,
       query.minPriceCents !== undefined ? sql`${price} >= ${query.minPriceCents}` : undefined,
       query.maxPriceCents !== undefined ? sql`${price} <= ${query.maxPriceCents}` : undefined,
     ])}`;

  // Browsing, and queries whose only filters are facets, count from the precomputed parts per
  // (category, brand, status mask) instead of over every matching document; each row weighs its parts.
  const fromFacetCounts = tsquery === undefined && bike === undefined && query.minPriceCents === undefined && query.maxPriceCents === undefined;
  const facetRows = fromFacetCounts
    ? sql`SELECT c.category, c.brand, ${categoryOk('c')} AS category_ok, ${brandOk('c')} AS brand_ok, c.status_mask,
                 ${query.status ? sql`(c.status_mask & ${statusBit(query.status)}) <> 0` : raw('true')} AS status_ok, c.parts AS weight
            FROM ${raw(tables.facetCounts)} c`
    : sql`SELECT m.category, m.brand, m.category_ok, m.brand_ok, m.status_mask, m.status_ok, 1 AS weight FROM matched m`;

  const order = orderBy(query.sort, bike !== undefined);

  const allFilters = sql`m.category_ok AND m.brand_ok AND m.status_ok`;
  const count = (where: SqlFragment) => sql`(coalesce(sum(m.weight) FILTER (WHERE ${where}), 0))::int`;
  const statusCounts = COMPATIBILITY_STATUSES.map(
    (status, bit) => sql`${count(sql`m.category_ok AND m.brand_ok AND (m.status_mask & ${raw(String(1 << bit))}) <> 0`)} AS ${raw(`status_${status}`)}`,
  );

  // One pass over the matches counts the total and every facet (GROUPING SETS), each facet with the
  // filters of the others only; the page is a second, LIMITed read of the same matches.
  // Words or a bike narrow the matches to rows worth reading once (a bike's few hundred parts were
  // otherwise read twice, for the counts and for the page); the others are read through indexes.
  const materialise = tsquery !== undefined || bike !== undefined;
  const statement = sql`
    WITH matched AS ${raw(materialise ? 'MATERIALIZED' : 'NOT MATERIALIZED')} (${matched}),
    facet_rows AS (${facetRows}),
    counts AS (
      SELECT m.category, m.brand, GROUPING(m.category) AS all_categories, GROUPING(m.brand) AS all_brands,
             ${count(allFilters)} AS total,
             ${count(sql`m.brand_ok AND m.status_ok`)} AS category_count,
             ${count(sql`m.category_ok AND m.status_ok`)} AS brand_count,
             ${joinSql(statusCounts, ', ')}
        FROM facet_rows m
       GROUP BY GROUPING SETS ((m.category), (m.brand), ())),
    page AS (SELECT * FROM matched m WHERE ${allFilters} ORDER BY ${order} LIMIT ${query.limit} OFFSET ${query.offset})
    SELECT
      (SELECT total FROM counts WHERE all_categories = 1 AND all_brands = 1) AS total,
      (SELECT coalesce(json_agg(json_build_object(
                'id', d.part_id, 'slug', d.slug, 'sku', d.sku, 'brand', d.brand, 'name', d.name,
                'category', d.category, 'description', d.description,
                'bestPriceCents', m.price, 'currency', CASE WHEN m.price IS NULL THEN NULL ELSE ${query.currency}::text END,
                'otherPrices', (SELECT coalesce(json_agg(json_build_object('currency', o.key, 'priceCents', o.value::bigint) ORDER BY o.key COLLATE "C"), '[]')
                                  FROM jsonb_each_text(d.best_prices) o WHERE o.key <> ${query.currency}),
                'status', m.bike_status, 'confirmations', m.confirmations, 'refutations', m.refutations)
              ORDER BY ${order}), '[]')
         FROM page m JOIN ${raw(tables.documents)} d ON d.part_id = m.part_id) AS hits,
      ${facet(sql`SELECT category AS value, category_count AS count FROM counts WHERE all_categories = 0`)} AS category,
      ${facet(sql`SELECT brand AS value, brand_count AS count FROM counts WHERE all_brands = 0`)} AS brand,
      ${facet(sql`SELECT s.value, s.count FROM counts,
                    LATERAL (VALUES ${raw(COMPATIBILITY_STATUSES.map((status) => `('${status}', status_${status})`).join(', '))}) AS s(value, count)
                   WHERE all_categories = 1 AND all_brands = 1`)} AS status`;

  const result = await knex.raw<{ rows: ResultRow[] }>(statement.text, statement.values as Knex.Value[]);
  const row = result.rows[0];
  return {
    hits: row.hits.map((hit) => ({
      ...hit,
      bestPriceCents: hit.bestPriceCents === null ? null : Number(hit.bestPriceCents),
      otherPrices: hit.otherPrices.map((other) => ({ currency: other.currency, priceCents: Number(other.priceCents) })),
      status: hit.status as CompatibilityStatus | null,
    })),
    facets: { category: row.category, brand: row.brand, status: row.status },
    total: row.total,
    engine: 'postgres',
    page: query.page,
    limit: query.limit,
  };
}

/** The non-zero values of one facet, most frequent first, at most MAX_FACET_VALUES. */
function facet(values: SqlFragment): SqlFragment {
  return sql`(SELECT coalesce(json_agg(json_build_object('value', f.value, 'count', f.count) ORDER BY f.count DESC, f.value COLLATE "C"), '[]')
                FROM (SELECT v.value, v.count FROM (${values}) v WHERE v.count > 0
                       ORDER BY v.count DESC, v.value COLLATE "C" LIMIT ${MAX_FACET_VALUES}) f)`;
}

const STATUS_ORDER = `ARRAY[${COMPATIBILITY_STATUSES.map((s) => `'${s}'`).join(', ')}]::text[]`;

/** Relevance: exact SKU, then text rank; ties by evidence (the bike's when filtered), then name. Price sorts put unpriced parts last. */
function orderBy(sort: SearchSort, byBike: boolean): SqlFragment {
  const evidence = byBike
    ? `array_position(${STATUS_ORDER}, m.bike_status), m.confirmations DESC`
    : 'm.confirmations DESC';
  const relevance = `m.sku_hit DESC, m.rank DESC, ${evidence}`;
  const tail = 'm.name ASC, m.part_id ASC';
  const orders: Record<SearchSort, string> = {
    relevance: `${relevance}, ${tail}`,
    price_asc: `m.price ASC NULLS LAST, ${relevance}, ${tail}`,
    price_desc: `m.price DESC NULLS LAST, ${relevance}, ${tail}`,
    verifications: `m.confirmations DESC, m.refutations ASC, ${relevance}, ${tail}`,
  };
  return raw(orders[sort]);
}
