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
import { SAMPLE_BUCKETS, sampleBuckets, type SmallestSampleCounts } from './sample-size.js';

export interface PostgresCatalogSearchOptions {
  knex: Knex;
  /** Read (and write) the tables of this schema instead of the public views of the active generation. */
  schema?: string;
  synonyms?: SynonymIndex;
  /**
   * Matches a query counts one by one at most (default 1,000). A query matching more (a brand, a
   * corrected word, a wide price range) answers estimated counts from a sample and says so.
   */
  exactCountLimit?: number;
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
const EXACT_COUNT_LIMIT = 1_000;
const sampleQuery = (buckets: number) => `#s${Math.log2(buckets)}`;
/**
 * The same sample by the part's bucket (migration 0032: `#s<j>` is exactly bucket < 2^j). Tested on
 * the row instead of its vector, it lets a query without words read the sample from the covering
 * index `search_documents_sample` alone, and weighs a row without touching its vector.
 */
const inSample = (buckets: number) => raw(`public.search_sample_bucket(d.part_id) < ${buckets}`);

/**
 * The embedded default: PostgreSQL full text search over `search_documents` (weighted tsvector,
 * GIN), typo tolerance through the trigram-indexed vocabulary, exact SKU first, synonyms expanded
 * into the tsquery, facets by aggregation over the matches, or from the precomputed facet counts
 * when the query has no words, bike or price range. Work is bounded: a query matching more than
 * `exactCountLimit` parts ranks the first of them, and estimates its total and facets from a
 * sample of the catalog (see searchBroad).
 */
export function createPostgresCatalogSearch(options: PostgresCatalogSearchOptions): CatalogSearch {
  const { knex } = options;
  const tables = searchTables(options.schema);
  const synonyms = options.synonyms ?? buildSynonymIndex();
  const exactCountLimit = options.exactCountLimit ?? EXACT_COUNT_LIMIT;
  return {
    engine: 'postgres',
    // The projection (or the caller of upsert) owns the tables; nothing to set up.
    prepare: async () => undefined,
    upsert: (documents: readonly SearchDocument[]) => upsertSearchDocuments(knex, tables, documents),
    search: async (query: SearchQuery) => search(knex, tables, synonyms, resolveSearchQuery(query), exactCountLimit),
    // The knex pool belongs to whoever passed it in.
    close: async () => undefined,
  };
}

type RowHit = Omit<SearchHit, 'bestPriceCents' | 'otherPrices'> & { bestPriceCents: number | string | null; otherPrices: { currency: string; priceCents: number | string }[] };

interface ResultRow {
  /** Matches read (at most the cap + 1 when capped), and those of them passing every filter. */
  matched: number;
  filtered: number;
  /** Matches in the smallest sample, when the statement was guarded. */
  smallest_sample: number | null;
  smallest_sample_filtered: number | null;
  total: number;
  hits: RowHit[];
  category: FacetValue[];
  brand: FacetValue[];
  status: FacetValue[];
}

/** How one statement reads the matches. */
interface StatementPlan {
  /** Read at most cap + 1 matches, materialised once (`matched` then tells whether there were more). */
  cap?: number;
  /** Read every match all the same (cheap from a covering index), so the page is exact; `matched` still stops at cap + 1. */
  whole?: boolean;
  /** Only the documents of a sample of `sampled` (a power of two) of the 64 buckets, each weighing 64 / sampled in the counts. */
  sampled?: number;
  /**
   * Count the matches in the smallest sample first (`smallest_sample`), and read the matches only when
   * that count, scaled, is at most this; otherwise answer from that sample (weighted, estimates).
   */
  guard?: number;
  /** Apply the facet filters to the matches themselves (the total's and the page's set; its facets are then not disjunctive). */
  narrowed?: boolean;
  /** Count the total and the facets; else only the page. */
  counts: boolean;
  /** Cut the page; else only the counts. */
  page: boolean;
}

async function search(knex: Knex, tables: SearchTables, synonyms: SynonymIndex, query: ResolvedSearchQuery, exactCountLimit: number): Promise<SearchResult> {
  const { terms, skuKeys } = analyseQuery(query.q, synonyms);
  const lookups = terms.flatMap((t) => (t.kind === 'word' && (t.fuzzy || t.prefix) ? [{ word: t.word, prefix: t.prefix, fuzzy: t.fuzzy }] : []));
  const corrections = await findCorrections(knex, tables, lookups);
  const text = terms.length > 0 ? tsquerySource(terms, corrections) : undefined;
  const statement = searchStatement(tables, query, text, skuKeys);
  const run = async (plan: StatementPlan) => {
    const built = statement(plan);
    // Planned for its own filters every time: a generic plan (libs/db prepares repeated statements)
    // cannot tell a category of a few parts from one of thousands, and measured a facet-heavy p95 of
    // 29-30 ms against 20.5 ms planned per query (docs/performance.md, "Session 13").
    return (await knex.raw<{ rows: ResultRow[] }>(built.text, built.values as Knex.Value[]).options({ prepare: false })).rows[0];
  };

  // Browsing, and queries whose only filters are facets, count from the precomputed facet counts: exact and cheap.
  if (text === undefined && query.bikeId === undefined && query.minPriceCents === undefined && query.maxPriceCents === undefined) {
    return answer(query, await run({ counts: true, page: true }), { total: true, facets: true });
  }
  const cap = Math.max(exactCountLimit, query.offset + query.limit);
  // A bike's parts are few; words or a price range may match a sixth of the catalog, so their
  // matches in the smallest sample (1/64, through GIN) are counted first, in the same statement, and
  // the matches are read only when that promises at most the cap (the capped read catches a
  // misjudged guard, and a bike with more parts than the cap).
  const all = await run({ cap, guard: query.bikeId === undefined ? cap : undefined, counts: true, page: true });
  const broad = all.smallest_sample !== null && all.smallest_sample * SAMPLE_BUCKETS > cap;
  if (!broad && all.matched <= cap) return answer(query, all, { total: true, facets: true });
  return searchBroad(query, run, {
    cap,
    ranked: text !== undefined && query.sort === 'relevance',
    // A category's parts without words are an index-only read (search_documents_category): reading
    // them whole cuts the page too, where the capped read would need a third statement for it.
    narrowWhole: text === undefined && query.category !== undefined && query.bikeId === undefined,
    smallest: {
      matches: all.smallest_sample ?? cap / SAMPLE_BUCKETS,
      filtered: all.smallest_sample_filtered ?? 0,
      answer: broad ? all : undefined,
    },
  });
}

/**
 * A query matching more than the cap: counting every match would cost a heap visit per match (a
 * brand's 16,000 parts). Its total and facets are estimated from the matches in a sample of the
 * catalog (GIN intersects a sample token with the query, so only those are read), scaled up, the
 * sample sized by the smallest one's counts, at most the cap. The sample depends on part ids only:
 * the same query gets the same estimate (and cached answers agree). With words and relevance, the page is ranked among the
 * sampled matches plus any exact SKU; when the sample holds too few that pass every filter, the
 * matches with every filter are read (capped: their total is then exact when they fit); any other
 * order is cut exactly, through the sort's index.
 */
async function searchBroad(
  query: ResolvedSearchQuery,
  run: (plan: StatementPlan) => Promise<ResultRow>,
  { cap, ranked, narrowWhole, smallest }: { cap: number; ranked: boolean; narrowWhole: boolean; smallest: SmallestSample },
): Promise<SearchResult> {
  const buckets = sampleBuckets(smallest, query.offset + query.limit, cap);
  const sample = buckets === 1 && smallest.answer ? smallest.answer : await run({ sampled: buckets, cap: cap * SAMPLE_BUCKETS, counts: true, page: ranked });
  const thin = sample.filtered < query.offset + query.limit;
  const narrowed = thin ? await run({ narrowed: true, cap, whole: narrowWhole, counts: true, page: true }) : undefined;
  const totalExact = narrowed !== undefined && narrowed.matched <= cap;
  const total = totalExact ? narrowed.total : Math.max(sample.total, narrowed?.matched ?? 0);
  const hits = totalExact || ranked || (narrowed && narrowWhole) ? (narrowed ?? sample).hits : (await run({ counts: false, page: true })).hits;
  return answer(query, { ...sample, total, hits }, { total: totalExact, facets: false });
}

interface SmallestSample extends SmallestSampleCounts {
  /** The guarded statement's answer, when it answered from that sample. */
  answer: ResultRow | undefined;
}

function answer(query: ResolvedSearchQuery, row: ResultRow, exhaustive: SearchResult['exhaustive']): SearchResult {
  return {
    hits: row.hits.map((hit) => ({
      ...hit,
      bestPriceCents: hit.bestPriceCents === null ? null : Number(hit.bestPriceCents),
      otherPrices: hit.otherPrices.map((other) => ({ currency: other.currency, priceCents: Number(other.priceCents) })),
      status: hit.status as CompatibilityStatus | null,
    })),
    facets: { category: row.category, brand: row.brand, status: row.status },
    total: row.total,
    exhaustive,
    engine: 'postgres',
    page: query.page,
    limit: query.limit,
  };
}

/** The statement of a query, for each way of reading its matches. */
function searchStatement(tables: SearchTables, query: ResolvedSearchQuery, text: string | undefined, skuKeys: string[]) {
  const tsquery = text === undefined ? undefined : sql`to_tsquery('english', ${text})`;
  const rank = tsquery ? sql`ts_rank(${RANK_WEIGHTS}::float4[], d.search_vector, ${tsquery})` : raw('0::float4');
  const skuHit = skuKeys.length > 0 ? sql`d.sku_key = ANY(${skuKeys}::text[])` : raw('false');
  // Stop words only ("the", "for") leave an empty tsquery: that query browses like an empty one.
  // Sampled, the sample token joins the tsquery, so the GIN index hands back only sampled matches.
  const sample = (buckets: number) => sql`${sampleQuery(buckets)}::tsquery`;
  // An exact SKU joins a sample whether sampled or not (it heads the page), weighing nothing in the counts.
  const textMatch = (buckets: number | undefined) =>
    tsquery &&
    (buckets
      ? sql`((numnode(${tsquery}) = 0 AND ${inSample(buckets)}) OR d.search_vector @@ (${tsquery} && ${sample(buckets)})
             OR d.sku_key = ANY(${skuKeys}::text[]))`
      : sql`(numnode(${tsquery}) = 0 OR d.search_vector @@ ${tsquery} OR d.sku_key = ANY(${skuKeys}::text[]))`);
  const weight = (plan: StatementPlan) =>
    plan.sampled ? sql`CASE WHEN ${inSample(plan.sampled)} THEN ${raw(String(SAMPLE_BUCKETS / plan.sampled))} ELSE 0 END` : raw('1');
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
  const partStatusOk = (row: string) => (query.status ? sql`(${raw(row)}.status_mask & ${statusBit(query.status)}) <> 0` : raw('true'));
  const statusOk = query.status && bikeEntry ? sql`(${bikeEntry} ->> 'status') = ${query.status}` : partStatusOk('d');
  // The best price in the asked currency: the only amount a price sort or filter compares. The code
  // is inlined (resolveSearchQuery let only three capital letters through) so that the expression is
  // the one each currency's index is built on (search_documents_price_<code>).
  const priceOf = (row: string) => raw(`(${row}.best_prices ->> '${query.currency}')::bigint`);
  const price = priceOf('d');
  const priceRange = (amount: SqlFragment) => [
    query.minPriceCents !== undefined ? sql`${amount} >= ${query.minPriceCents}` : undefined,
    query.maxPriceCents !== undefined ? sql`${amount} <= ${query.maxPriceCents}` : undefined,
  ];
  // Only the rows passing every filter can reach the page: the others are counted, never ranked.
  const rankIfPage = !tsquery ? rank : sql`CASE WHEN ${categoryOk('d')} AND ${brandOk('d')} AND ${statusOk} THEN ${rank} ELSE 0 END`;
  // Words narrowed by a category: the parts passing the facet filters and the price range, read from
  // the covering category index alone (no heap), are usually far fewer than the documents of the
  // words (a common word's GIN entry holds a quarter of the catalog); the planner picks whichever
  // side to start from, and only the candidates' rows are read. OFFSET 0 keeps the subquery whole
  // (PostgreSQL 18 would otherwise fold the self-join away).
  const facetCandidates = () =>
    sql`d.part_id = ANY(ARRAY(SELECT f.part_id FROM ${raw(tables.documents)} f
                               WHERE ${and([categoryOk('f'), brandOk('f'), partStatusOk('f'), ...priceRange(priceOf('f'))])}))`;
  // A sample is a few hundred rows from GIN: the price range is checked on them, not intersected
  // with its index's bitmap of a third of the catalog (what the planner picks otherwise). `+ 0` hides
  // the indexed expression.
  const priceFilter = (plan: Pick<StatementPlan, 'sampled'>) => (plan.sampled ? sql`(${price} + 0)` : price);
  const matched = (plan: StatementPlan) => sql`
    SELECT d.part_id, d.category, d.brand, d.name, ${price} AS price,
           ${categoryOk('d')} AS category_ok,
           ${brandOk('d')} AS brand_ok,
           (${statusMask}) AS status_mask,
           ${bikeEntry ? sql`${bikeEntry} ->> 'status'` : raw('NULL::text')} AS bike_status,
           ${bikeEntry ? sql`(${bikeEntry} ->> 'confirmations')::int` : raw('d.confirmations')} AS confirmations,
           ${bikeEntry ? sql`(${bikeEntry} ->> 'refutations')::int` : raw('d.refutations')} AS refutations,
           ${rankIfPage} AS rank, ${skuHit} AS sku_hit,
           ${statusOk} AS status_ok, ${weight(plan)} AS weight
      FROM ${raw(tables.documents)} d ${bikeLookup}
     WHERE ${conditions(plan)} ${plan.guard === undefined ? raw('') : sql`AND (SELECT n FROM guard) * ${raw(String(SAMPLE_BUCKETS))} <= ${plan.guard}`}
     ${plan.cap === undefined || plan.whole ? raw('') : sql`LIMIT ${plan.cap + 1}`}`;
  const conditions = (plan: Pick<StatementPlan, 'sampled' | 'narrowed'>) =>
    and([
      textMatch(plan.sampled),
      plan.sampled && !tsquery ? inSample(plan.sampled) : undefined,
      bike ? sql`d.bike_ids @> ARRAY[${bike}::text]` : undefined,
      bike && query.fits ? sql`d.fits && ARRAY[${`${bike}:verified`}::text, ${`${bike}:community`}::text]` : undefined,
      ...priceRange(priceFilter(plan)),
      ...(plan.narrowed ? [categoryOk('d'), brandOk('d'), statusOk] : []),
      plan.narrowed && tsquery && query.category && !bike ? facetCandidates() : undefined,
    ]);
  const order = orderBy(query.sort, bike !== undefined);
  const allFilters = sql`m.category_ok AND m.brand_ok AND m.status_ok`;
  const count = (where: SqlFragment) => sql`(coalesce(sum(m.weight) FILTER (WHERE ${where}), 0))::int`;
  const statusCounts = COMPATIBILITY_STATUSES.map(
    (status, bit) => sql`${count(sql`m.category_ok AND m.brand_ok AND (m.status_mask & ${raw(String(1 << bit))}) <> 0`)} AS ${raw(`status_${status}`)}`,
  );

  return (plan: StatementPlan): SqlFragment => {
    // Without words, bike or price range, the counts come from the precomputed parts per (category,
    // brand, status mask) instead of every matching document; each row weighs its parts.
    const fromFacetCounts = tsquery === undefined && bike === undefined && query.minPriceCents === undefined && query.maxPriceCents === undefined;
    const facetRows = fromFacetCounts
      ? sql`SELECT c.category, c.brand, ${categoryOk('c')} AS category_ok, ${brandOk('c')} AS brand_ok, c.status_mask,
                   ${query.status ? sql`(c.status_mask & ${statusBit(query.status)}) <> 0` : raw('true')} AS status_ok, c.parts AS weight
              FROM ${raw(tables.facetCounts)} c`
      : sql`SELECT m.category, m.brand, m.category_ok, m.brand_ok, m.status_mask, m.status_ok, m.weight FROM matched m`;
    // One pass over the matches counts the total and every facet (GROUPING SETS), each facet with the
    // filters of the others only; the page is a second, LIMITed read of the same matches. Capped
    // matches are read once into the CTE; otherwise (browse, an exact page) through the sort's index.
    const materialise = plan.cap !== undefined;
    const counts = sql`
      counts AS (
        SELECT m.category, m.brand, GROUPING(m.category) AS all_categories, GROUPING(m.brand) AS all_brands,
               ${count(allFilters)} AS total,
               ${count(sql`m.brand_ok AND m.status_ok`)} AS category_count,
               ${count(sql`m.category_ok AND m.status_ok`)} AS brand_count,
               ${joinSql(statusCounts, ', ')}
          FROM facet_rows m
         GROUP BY GROUPING SETS ((m.category), (m.brand), ())),`;
    const hits = sql`
      (SELECT coalesce(json_agg(json_build_object(
                'id', d.part_id, 'slug', d.slug, 'sku', d.sku, 'brand', d.brand, 'name', d.name,
                'category', d.category, 'description', d.description,
                'bestPriceCents', m.price, 'currency', CASE WHEN m.price IS NULL THEN NULL ELSE ${query.currency}::text END,
                'otherPrices', (SELECT coalesce(json_agg(json_build_object('currency', o.key, 'priceCents', o.value::bigint) ORDER BY o.key COLLATE "C"), '[]')
                                  FROM jsonb_each_text(d.best_prices) o WHERE o.key <> ${query.currency}),
                'status', m.bike_status, 'confirmations', m.confirmations, 'refutations', m.refutations)
              ORDER BY ${order}), '[]')
         FROM page m JOIN ${raw(tables.documents)} d ON d.part_id = m.part_id)`;
    // Guarded: the smallest sample (1/64) of the matches is read before anything else; counted, it
    // decides whether the matches are read, and when they are not, it is the answer, as a sample.
    const head =
      plan.guard === undefined
        ? sql`WITH matched AS ${raw(materialise ? 'MATERIALIZED' : 'NOT MATERIALIZED')} (${matched(plan)}),`
        : sql`WITH sampled_rows AS MATERIALIZED (${matched({ sampled: 1, counts: true, page: true })}),
      guard AS (SELECT (count(*) FILTER (WHERE m.weight > 0))::int AS n,
                       (count(*) FILTER (WHERE m.weight > 0 AND ${allFilters}))::int AS filtered
                  FROM sampled_rows m),
      exact AS MATERIALIZED (${matched(plan)}),
      matched AS (SELECT * FROM exact
                  UNION ALL
                  SELECT * FROM sampled_rows WHERE (SELECT n FROM guard) * ${raw(String(SAMPLE_BUCKETS))} > ${plan.guard}),`;
    return sql`
      ${head}
      facet_rows AS (${facetRows}),
      ${plan.counts ? counts : raw('')}
      page AS (SELECT * FROM matched m WHERE ${allFilters} ORDER BY ${order} LIMIT ${plan.page ? query.limit : 0} OFFSET ${query.offset})
      SELECT
        ${plan.guard === undefined ? raw('NULL::int') : raw('(SELECT n FROM guard)')} AS smallest_sample,
        ${plan.guard === undefined ? raw('NULL::int') : raw('(SELECT filtered FROM guard)')} AS smallest_sample_filtered,
        ${materialise ? raw(`(SELECT ${plan.whole ? `least(count(*), ${plan.cap! + 1})` : 'count(*)'} FROM matched)::int`) : raw('NULL::int')} AS matched,
        ${materialise ? sql`(SELECT count(*) FROM matched m WHERE ${allFilters})::int` : raw('NULL::int')} AS filtered,
        ${plan.counts ? raw('(SELECT total FROM counts WHERE all_categories = 1 AND all_brands = 1)') : raw('NULL::int')} AS total,
        ${plan.page ? hits : raw(`'[]'::json`)} AS hits,
        ${plan.counts ? facet(sql`SELECT category AS value, category_count AS count FROM counts WHERE all_categories = 0`) : raw(`'[]'::json`)} AS category,
        ${plan.counts ? facet(sql`SELECT brand AS value, brand_count AS count FROM counts WHERE all_brands = 0`) : raw(`'[]'::json`)} AS brand,
        ${
          plan.counts
            ? facet(sql`SELECT s.value, s.count FROM counts,
                    LATERAL (VALUES ${raw(COMPATIBILITY_STATUSES.map((status) => `('${status}', status_${status})`).join(', '))}) AS s(value, count)
                   WHERE all_categories = 1 AND all_brands = 1`)
            : raw(`'[]'::json`)
        } AS status`;
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
