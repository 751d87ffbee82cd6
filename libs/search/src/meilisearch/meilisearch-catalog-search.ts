import {
  Meilisearch,
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
  type EnqueuedTaskPromise,
  type Index,
  type MultiSearchQuery,
  type SearchResponse,
} from 'meilisearch';
import { COMPATIBILITY_STATUSES, type CompatibilityStatus } from '@mpp/domain';
import type { CatalogSearch, FacetValue, SearchDocument, SearchHit, SearchQuery, SearchResult, SearchSort } from '../catalog-search.port.js';
import { SearchTaskFailed, SearchUnavailable } from '../search-errors.js';
import { resolveSearchQuery, type ResolvedSearchQuery } from '../search-query.js';
import { SYNONYM_GROUPS } from '../synonyms.js';
import { toMeilisearchPart, type MeilisearchPart } from './meilisearch-documents.js';
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
  requestTimeoutMs?: number;
  synonyms?: readonly (readonly string[])[];
}

export interface MeilisearchCatalogSearch extends CatalogSearch {
  readonly indexUid: string;
  /**
   * Full reindex without downtime: builds a new index (settings first), fills it from `batches`,
   * atomically swaps it with the live one (`swapIndexes`) and deletes the old one. Searches keep
   * hitting the old index until the swap.
   */
  reindex(batches: AsyncIterable<readonly SearchDocument[]>): Promise<{ documents: number }>;
  /** Drops the live index (tests). */
  deleteIndex(): Promise<void>;
}

export const DEFAULT_INDEX_UID = 'parts';

export function createMeilisearchCatalogSearch(options: MeilisearchCatalogSearchOptions): MeilisearchCatalogSearch {
  const client = new Meilisearch({ host: options.url, apiKey: options.apiKey, timeout: options.requestTimeoutMs ?? 5_000 });
  const indexUid = options.indexUid ?? DEFAULT_INDEX_UID;
  const batchSize = options.batchSize ?? 1_000;
  const wait = { timeout: options.taskTimeoutMs ?? 60_000, interval: 50 };
  const settings = meilisearchSettings(options.synonyms ?? SYNONYM_GROUPS);

  /** Waits for the task and fails unless it succeeded: a checkpoint must never pass a rejected batch. */
  async function completed(enqueued: EnqueuedTaskPromise): Promise<void> {
    const task = await enqueued.waitTask(wait);
    if (task.status !== 'succeeded') throw new SearchTaskFailed(task.uid, task.status, task.error?.message ?? 'no error reported');
  }

  async function prepareIndex(uid: string): Promise<void> {
    try {
      await completed(client.createIndex(uid, { primaryKey: 'id' }));
    } catch (error) {
      // Preparing twice is fine; anything else is not.
      if (!(error instanceof SearchTaskFailed && /already exists/i.test(error.detail))) throw error;
    }
    await completed(client.index(uid).updateSettings(settings));
  }

  async function push(index: Index<MeilisearchPart>, documents: readonly SearchDocument[]): Promise<void> {
    for (let start = 0; start < documents.length; start += batchSize) {
      const batch = documents.slice(start, start + batchSize).map(toMeilisearchPart);
      await completed(index.addDocuments(batch, { primaryKey: 'id' }));
    }
  }

  return {
    engine: 'meilisearch',
    indexUid,
    prepare: () => unavailableOnNetworkError(() => prepareIndex(indexUid)),
    upsert: (documents) => unavailableOnNetworkError(() => push(client.index<MeilisearchPart>(indexUid), documents)),
    search: async (query: SearchQuery) => {
      const resolved = resolveSearchQuery(query);
      return unavailableOnNetworkError(() => search(client, indexUid, resolved));
    },
    async reindex(batches) {
      return unavailableOnNetworkError(async () => {
        await prepareIndex(indexUid);
        const buildUid = `${indexUid}_build_${Date.now()}`;
        await prepareIndex(buildUid);
        let documents = 0;
        try {
          for await (const batch of batches) {
            await push(client.index<MeilisearchPart>(buildUid), batch);
            documents += batch.length;
          }
          await completed(client.swapIndexes([{ indexes: [indexUid, buildUid], rename: false }]));
        } finally {
          // After the swap it holds the old documents; after a failure, a half-built index.
          await completed(client.deleteIndex(buildUid));
        }
        return { documents };
      });
    },
    async deleteIndex() {
      await client.deleteIndexIfExists(indexUid);
    },
    // The client holds no connections between requests.
    close: async () => undefined,
  };
}

async function unavailableOnNetworkError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError || error instanceof MeilisearchTaskTimeOutError) {
      throw new SearchUnavailable(`Meilisearch did not answer: ${(error as Error).message}`, { cause: error });
    }
    if (error instanceof MeilisearchApiError && (error.response.status >= 500 || error.response.status === 429)) {
      throw new SearchUnavailable(`Meilisearch failed: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

type Facet = 'category' | 'brand' | 'status';

/**
 * One multi-search request: the page of hits, plus one count-only query per facet whose own filter
 * is set (each facet counts with every filter but its own), plus, with a bike, one count per status
 * of that bike (its statuses are keys of `fits`, which a facet distribution cannot single out).
 */
async function search(client: Meilisearch, indexUid: string, query: ResolvedSearchQuery): Promise<SearchResult> {
  const q = query.q;
  const filters = (except?: Facet) => filterOf(query, except);
  const main: MultiSearchQuery = {
    indexUid,
    q,
    filter: filters(),
    page: query.page,
    hitsPerPage: query.limit,
    sort: SORTS[query.sort],
    facets: [
      ...(query.category ? [] : ['category']),
      ...(query.brand ? [] : ['brand']),
      ...(query.bikeId || query.status ? [] : ['statuses']),
    ],
  };
  const countOnly = (filter: string[], facets: string[] = []): MultiSearchQuery => ({ indexUid, q, filter, page: 1, hitsPerPage: 0, facets });
  const extra: { facet: Facet | CompatibilityStatus; query: MultiSearchQuery }[] = [];
  if (query.category) extra.push({ facet: 'category', query: countOnly(filters('category'), ['category']) });
  if (query.brand) extra.push({ facet: 'brand', query: countOnly(filters('brand'), ['brand']) });
  if (query.bikeId) {
    for (const status of COMPATIBILITY_STATUSES) {
      extra.push({ facet: status, query: countOnly([...filters('status'), `fits = ${quote(`${query.bikeId}:${status}`)}`]) });
    }
  } else if (query.status) {
    extra.push({ facet: 'status', query: countOnly(filters('status'), ['statuses']) });
  }

  const { results } = await client.multiSearch<{ queries: MultiSearchQuery[] }, MeilisearchPart>({ queries: [main, ...extra.map((e) => e.query)] });
  const [first, ...rest] = results as SearchResponse<MeilisearchPart, { page: number }>[];
  const distribution = (response: SearchResponse<MeilisearchPart, { page: number }>, field: string) => facetValues(response.facetDistribution?.[field]);
  const facetFrom = (facet: Facet, field: string): FacetValue[] => {
    const i = extra.findIndex((e) => e.facet === facet);
    return distribution(i === -1 ? first : rest[i], field);
  };
  const bikeStatuses = query.bikeId
    ? extra
        .map((e, i): FacetValue => ({ value: e.facet, count: rest[i].totalHits }))
        .filter((f) => (COMPATIBILITY_STATUSES as readonly string[]).includes(f.value) && f.count > 0)
        .sort(byCountThenValue)
    : undefined;

  return {
    hits: first.hits.map((part) => hitOf(part, query.bikeId)),
    facets: {
      category: facetFrom('category', 'category'),
      brand: facetFrom('brand', 'brand'),
      status: bikeStatuses ?? facetFrom('status', 'statuses'),
    },
    total: first.totalHits,
    engine: 'meilisearch',
    page: query.page,
    limit: query.limit,
  };
}

const SORTS: Record<SearchSort, string[] | undefined> = {
  relevance: undefined,
  price_asc: ['bestPriceCents:asc'],
  price_desc: ['bestPriceCents:desc'],
  verifications: ['confirmations:desc', 'refutations:asc'],
};

/** Every filter of the query except the named facet's own; the array is ANDed by Meilisearch. */
function filterOf(query: ResolvedSearchQuery, except?: Facet): string[] {
  const filter: string[] = [];
  if (query.bikeId) filter.push(`bikeIds = ${quote(query.bikeId)}`);
  if (query.category && except !== 'category') filter.push(`category = ${quote(query.category)}`);
  if (query.brand && except !== 'brand') filter.push(`brand = ${quote(query.brand)}`);
  if (query.status && except !== 'status') {
    filter.push(query.bikeId ? `fits = ${quote(`${query.bikeId}:${query.status}`)}` : `statuses = ${quote(query.status)}`);
  }
  if (query.minPriceCents !== undefined) filter.push(`bestPriceCents >= ${query.minPriceCents}`);
  if (query.maxPriceCents !== undefined) filter.push(`bestPriceCents <= ${query.maxPriceCents}`);
  return filter;
}

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

function hitOf(part: MeilisearchPart, bikeId: string | undefined): SearchHit {
  const bike = bikeId ? part.bikes.find((b) => b.bikeId === bikeId) : undefined;
  return {
    id: part.id,
    slug: part.slug,
    sku: part.sku,
    brand: part.brand,
    name: part.name,
    category: part.category,
    description: part.description,
    bestPriceCents: part.bestPriceCents ?? null,
    currency: part.currency,
    status: bike?.status ?? null,
    confirmations: bike ? bike.confirmations : part.confirmations,
    refutations: bike ? bike.refutations : part.refutations,
  };
}
