import { Meilisearch, type EnqueuedTaskPromise, type Index, type MultiSearchQuery, type SearchResponse } from 'meilisearch';
import { COMPATIBILITY_STATUSES, type CompatibilityStatus } from '@mpp/domain';
import type { CatalogSearch, FacetValue, SearchDocument, SearchHit, SearchQuery, SearchResult, SearchSort } from '../catalog-search.port.js';
import { SearchRequestRejected, SearchTaskFailed } from '../search-errors.js';
import { resolveSearchQuery, type ResolvedSearchQuery } from '../search-query.js';
import { SYNONYM_GROUPS } from '../synonyms.js';
import { categoryKeyOf, toMeilisearchPart, type MeilisearchPart } from './meilisearch-documents.js';
import { withSearchErrors } from './meilisearch-errors.js';
import { meilisearchQueryText, modelCodeWords } from './meilisearch-query-text.js';
import { meilisearchSettings } from './meilisearch-settings.js';

export interface MeilisearchCatalogSearchOptions {
  url: string;
  apiKey?: string;
  /** The live index; reindexing builds beside it and swaps. */
  indexUid?: string;
  /** Documents per addDocuments task. */
  batchSize?: number;
  /** How long to wait for one task (settings, a batch, a swap) before giving up. */
  taskTimeoutMs?: number;
  /** How often to ask whether a task finished. */
  taskPollMs?: number;
  requestTimeoutMs?: number;
  synonyms?: readonly (readonly string[])[];
}

export interface MeilisearchCatalogSearch extends CatalogSearch {
  readonly indexUid: string;
  /**
   * Makes a fully built index the live one without downtime: when `buildUid` exists, swaps it with
   * the live index (`swapIndexes`, creating the live one first if need be) and deletes it, as it
   * then holds the old documents. False, and nothing sent but the look-up, when there is no such
   * index: the swap happened already (so calling it again is safe).
   */
  swapIn(buildUid: string): Promise<boolean>;
  /** Drops the live index (tests). */
  deleteIndex(): Promise<void>;
}

export const DEFAULT_INDEX_UID = 'parts';

/**
 * The production adapter. Every error leaves it as a port error (`withSearchErrors`): 503 for the
 * API, retry or stop for the indexer. Written for the Meilisearch version compose and CI pin
 * (v1.50.0; the 0.62 client needs v1.18+ for its swap body); docs/search.md lists what
 * depends on it.
 */
export function createMeilisearchCatalogSearch(options: MeilisearchCatalogSearchOptions): MeilisearchCatalogSearch {
  const client = new Meilisearch({ host: options.url, apiKey: options.apiKey, timeout: options.requestTimeoutMs ?? 5_000 });
  const indexUid = options.indexUid ?? DEFAULT_INDEX_UID;
  const batchSize = options.batchSize ?? 1_000;
  const wait = { timeout: options.taskTimeoutMs ?? 60_000, interval: options.taskPollMs ?? 50 };
  const groups = options.synonyms ?? SYNONYM_GROUPS;
  const settings = meilisearchSettings(groups);
  const knownCodes = new Set(modelCodeWords(groups));

  /** Waits for the task and fails unless it succeeded: a checkpoint must never pass a rejected batch. */
  async function completed(enqueued: EnqueuedTaskPromise): Promise<void> {
    const task = await enqueued.waitTask(wait);
    if (task.status !== 'succeeded') {
      throw new SearchTaskFailed(task.uid, task.status, task.error?.message ?? 'no error reported', task.error?.code, task.error?.type);
    }
  }

  async function prepareIndex(uid: string): Promise<void> {
    try {
      await completed(client.createIndex(uid, { primaryKey: 'id' }));
    } catch (error) {
      // Preparing twice is fine; anything else is not.
      if (!(error instanceof SearchTaskFailed && error.code === 'index_already_exists')) throw error;
    }
    await completed(client.index(uid).updateSettings(settings));
  }

  async function indexExists(uid: string): Promise<boolean> {
    try {
      await client.getRawIndex(uid);
      return true;
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === 'index_not_found') return false;
      throw error;
    }
  }

  async function push(index: Index<MeilisearchPart>, documents: readonly SearchDocument[]): Promise<void> {
    for (let start = 0; start < documents.length; start += batchSize) {
      await pushBatch(index, documents.slice(start, start + batchSize).map(toMeilisearchPart));
    }
  }

  /** A batch over the payload limit (413) goes again in halves; one document over it is a permanent error. */
  async function pushBatch(index: Index<MeilisearchPart>, batch: MeilisearchPart[]): Promise<void> {
    try {
      await withSearchErrors(() => completed(index.addDocuments(batch, { primaryKey: 'id' })));
    } catch (error) {
      if (!(error instanceof SearchRequestRejected && error.code === 'payload_too_large' && batch.length > 1)) throw error;
      const half = Math.ceil(batch.length / 2);
      await pushBatch(index, batch.slice(0, half));
      await pushBatch(index, batch.slice(half));
    }
  }

  return {
    engine: 'meilisearch',
    indexUid,
    prepare: () => withSearchErrors(() => prepareIndex(indexUid)),
    upsert: (documents) => withSearchErrors(() => push(client.index<MeilisearchPart>(indexUid), documents)),
    search: async (query: SearchQuery) => {
      const resolved = resolveSearchQuery(query);
      return withSearchErrors(() => search(client, indexUid, resolved, meilisearchQueryText(resolved.q, knownCodes)));
    },
    swapIn: (buildUid) =>
      withSearchErrors(async () => {
        if (!(await indexExists(buildUid))) return false;
        await prepareIndex(indexUid);
        // `rename: false` is a swap. The field exists from Meilisearch v1.18 (v1.16 refuses it as an
        // unknown field, 400); the client always sends it, so the pinned server must be v1.18+.
        await completed(client.swapIndexes([{ indexes: [indexUid, buildUid], rename: false }]));
        await completed(client.deleteIndex(buildUid));
        return true;
      }),
    async deleteIndex() {
      await withSearchErrors(() => client.deleteIndexIfExists(indexUid));
    },
    // The client holds no connections between requests.
    close: async () => undefined,
  };
}

type Facet = 'category' | 'brand' | 'status';

/**
 * One multi-search request: the page of hits, plus one count-only query per facet whose own filter
 * is set (each facet counts with every filter but its own), plus, with a bike, one count per status
 * of that bike (its statuses are keys of `fits`, which a facet distribution cannot single out).
 * Every query matches all of its words (`matchingStrategy: 'all'`), as PostgreSQL does: the default
 * (`last`) drops words until something matches and fills hits, total and facets with partial matches.
 *
 * Browsing a bike by relevance orders by that bike's status first (verified, community, disputed,
 * no data), as PostgreSQL does; Meilisearch cannot sort on one element of an array, so the page is
 * cut from per-status slices in a second request, sized by the status counts of the first.
 */
async function search(client: Meilisearch, indexUid: string, query: ResolvedSearchQuery, text: string): Promise<SearchResult> {
  const filters = (except?: Facet) => filterOf(query, except);
  const base = { indexUid, q: text, matchingStrategy: 'all' } as const;
  const byBikeStatus = query.bikeId !== undefined && query.sort === 'relevance' && text === '' && query.status === undefined;
  const main: MultiSearchQuery = {
    ...base,
    filter: filters(),
    page: query.page,
    hitsPerPage: byBikeStatus ? 0 : query.limit,
    sort: sortOf(query),
    facets: [
      ...(query.category ? [] : ['category']),
      ...(query.brand ? [] : ['brand']),
      ...(query.bikeId || query.status ? [] : ['statuses']),
    ],
  };
  const countOnly = (filter: string[], facets: string[] = []): MultiSearchQuery => ({ ...base, filter, page: 1, hitsPerPage: 0, facets });
  const extra: { facet: Facet | CompatibilityStatus; query: MultiSearchQuery }[] = [];
  if (query.category) extra.push({ facet: 'category', query: countOnly(filters('category'), ['category']) });
  if (query.brand) extra.push({ facet: 'brand', query: countOnly(filters('brand'), ['brand']) });
  if (query.bikeId) {
    for (const status of COMPATIBILITY_STATUSES) {
      extra.push({ facet: status, query: countOnly([...filters('status'), fitsFilter(query.bikeId, status)]) });
    }
  } else if (query.status) {
    extra.push({ facet: 'status', query: countOnly(filters('status'), ['statuses']) });
  }

  const { results } = await client.multiSearch<{ queries: MultiSearchQuery[] }, MeilisearchPart>({ queries: [main, ...extra.map((e) => e.query)] });
  const [first, ...rest] = results as PageResponse[];
  const distribution = (response: PageResponse, field: string) => facetValues(response.facetDistribution?.[field]);
  const facetFrom = (facet: Facet, field: string): FacetValue[] => {
    const i = extra.findIndex((e) => e.facet === facet);
    return distribution(i === -1 ? first : rest[i], field);
  };
  const statusCounts = query.bikeId
    ? extra.flatMap((e, i): FacetValue[] => ((COMPATIBILITY_STATUSES as readonly string[]).includes(e.facet) ? [{ value: e.facet, count: rest[i].totalHits }] : []))
    : undefined;
  const hits = byBikeStatus
    ? await pageByBikeStatus(client, query, filters(), statusCounts!, base)
    : first.hits;

  return {
    hits: hits.map((part) => hitOf(part, query.bikeId, query.currency)),
    facets: {
      category: facetFrom('category', 'category'),
      brand: facetFrom('brand', 'brand'),
      status: statusCounts ? statusCounts.filter((f) => f.count > 0).sort(byCountThenValue) : facetFrom('status', 'statuses'),
    },
    total: first.totalHits,
    // maxTotalHits is set above any catalog (meilisearch-settings.ts): every count is exact.
    exhaustive: { total: true, facets: true },
    engine: 'meilisearch',
    page: query.page,
    limit: query.limit,
  };
}

type PageResponse = SearchResponse<MeilisearchPart, { page: number }>;

/** The page [offset, offset + limit) of a bike's parts in status order, from the slices of each status it spans. */
async function pageByBikeStatus(
  client: Meilisearch,
  query: ResolvedSearchQuery,
  filter: string[],
  statusCounts: readonly FacetValue[],
  base: Pick<MultiSearchQuery, 'indexUid' | 'q' | 'matchingStrategy'>,
): Promise<MeilisearchPart[]> {
  const slices: MultiSearchQuery[] = [];
  let skip = query.offset;
  let wanted = query.limit;
  for (const { value: status, count } of statusCounts) {
    if (wanted === 0) break;
    if (skip >= count) {
      skip -= count;
      continue;
    }
    const take = Math.min(wanted, count - skip);
    slices.push({ ...base, filter: [...filter, fitsFilter(query.bikeId!, status)], offset: skip, limit: take });
    wanted -= take;
    skip = 0;
  }
  if (slices.length === 0) return [];
  const { results } = await client.multiSearch<{ queries: MultiSearchQuery[] }, MeilisearchPart>({ queries: slices });
  return results.flatMap((result) => result.hits as MeilisearchPart[]);
}

function fitsFilter(bikeId: string, status: string): string {
  return `fits = ${quote(`${bikeId}:${status}`)}`;
}

/** Price sorts order by the best price in the query's currency alone (`bestPrices.<currency>`, a code resolveSearchQuery checked). */
function sortOf(query: ResolvedSearchQuery): string[] | undefined {
  const sorts: Record<SearchSort, string[] | undefined> = {
    relevance: undefined,
    price_asc: [`bestPrices.${query.currency}:asc`],
    price_desc: [`bestPrices.${query.currency}:desc`],
    verifications: ['confirmations:desc', 'refutations:asc'],
  };
  return sorts[query.sort];
}

/** Every filter of the query except the named facet's own; the array is ANDed by Meilisearch. */
function filterOf(query: ResolvedSearchQuery, except?: Facet): string[] {
  const filter: string[] = [];
  if (query.bikeId) filter.push(`bikeIds = ${quote(query.bikeId)}`);
  if (query.bikeId && query.fits) filter.push(`fits IN [${FITTING_STATUSES.map((status) => quote(`${query.bikeId}:${status}`)).join(', ')}]`);
  if (query.category && except !== 'category') filter.push(`categoryKey = ${quote(categoryKeyOf(query.category))}`);
  if (query.brand && except !== 'brand') filter.push(`brand = ${quote(query.brand)}`);
  if (query.status && except !== 'status') {
    filter.push(query.bikeId ? fitsFilter(query.bikeId, query.status) : `statuses = ${quote(query.status)}`);
  }
  if (query.minPriceCents !== undefined) filter.push(`bestPrices.${query.currency} >= ${query.minPriceCents}`);
  if (query.maxPriceCents !== undefined) filter.push(`bestPrices.${query.currency} <= ${query.maxPriceCents}`);
  return filter;
}

/** The statuses that mean "fits": an official fitment, or more confirmations than refutations. */
const FITTING_STATUSES = ['verified', 'community'] as const;

/** A filter value as a Meilisearch string literal: rider input never becomes filter syntax. */
function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function facetValues(distribution: Record<string, number> | undefined): FacetValue[] {
  return Object.entries(distribution ?? {})
    .map(([value, count]) => ({ value, count }))
    .filter((f) => f.count > 0)
    .sort(byCountThenValue);
}

function byCountThenValue(a: FacetValue, b: FacetValue): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

function hitOf(part: MeilisearchPart, bikeId: string | undefined, currency: string): SearchHit {
  const prices = part.bestPrices ?? {};
  const price = prices[currency];
  const bike = bikeId ? part.bikes.find((b) => b.bikeId === bikeId) : undefined;
  return {
    id: part.id,
    slug: part.slug,
    sku: part.sku,
    brand: part.brand,
    name: part.name,
    category: part.category,
    description: part.description,
    bestPriceCents: price ?? null,
    currency: price === undefined ? null : currency,
    otherPrices: Object.keys(prices)
      .filter((other) => other !== currency)
      .sort()
      .map((other) => ({ currency: other, priceCents: prices[other]! })),
    status: bike?.status ?? null,
    confirmations: bike ? bike.confirmations : part.confirmations,
    refutations: bike ? bike.refutations : part.refutations,
  };
}
