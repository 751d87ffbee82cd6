import type { CompatibilityStatus, PartCategory } from '@mpp/domain';

/** A bike a part is known for (a compatibility record exists), with the evidence for that pair. */
export interface FittedBike {
  bikeId: string;
  /** What riders type and read: "2021 Yamaha MT-07", trim appended when there is one. */
  label: string;
  status: CompatibilityStatus;
  confirmations: number;
  refutations: number;
}

/**
 * One searchable document per part. Both engines index exactly this; the PostgreSQL adapter keeps
 * it in `search_documents` (written by the `search-documents` projection), Meilisearch gets it pushed
 * by the indexer.
 */
export interface SearchDocument {
  id: string;
  slug: string;
  sku: string;
  brand: string;
  name: string;
  category: PartCategory | string;
  description: string | null;
  /** Every bike with a compatibility record for this part, any status, ordered by label. */
  bikes: FittedBike[];
  /** The best current offer (cheapest in stock, else cheapest); null when no price is known. */
  bestPriceCents: number | null;
  currency: string | null;
  inStock: boolean | null;
  /**
   * The best offer's amount in each currency the part is offered in (in stock first, then
   * cheapest), by ISO 4217 code: what price sorts and filters compare, one currency at a time.
   */
  bestPrices: Record<string, number>;
  /** Visible, active verifications over all bikes. */
  confirmations: number;
  refutations: number;
  /** Log position of the last event that changed this document (the indexer's cursor). */
  updatedPosition: number;
}

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'verifications'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface SearchQuery {
  /** Free text; empty or absent browses everything the filters allow. At most SEARCH_LIMITS.queryLength characters. */
  q?: string;
  bikeId?: string;
  category?: string;
  brand?: string;
  /** With bikeId: the status of the pair; without: parts having this status on some bike. */
  status?: CompatibilityStatus;
  /** With bikeId: only the parts that fit it (verified or community), the rider's "fits my bike" filter. */
  fits?: boolean;
  /**
   * The rider's currency (ISO 4217): price sorts, price filters and each hit's best price are in it
   * alone, never compared with another; absent: the default region's currency.
   */
  currency?: string;
  minPriceCents?: number;
  maxPriceCents?: number;
  sort?: SearchSort;
  page?: number;
  limit?: number;
}

export interface SearchHit {
  id: string;
  slug: string;
  sku: string;
  brand: string;
  name: string;
  category: string;
  description: string | null;
  /** The best offer in the query's currency; null (and `currency` null) when the part has none in it. */
  bestPriceCents: number | null;
  currency: string | null;
  /** The best offer in each other currency, by currency code: shown apart, never ranked. */
  otherPrices: { currency: string; priceCents: number }[];
  /** The pair's status when the query filters by bikeId, else null. */
  status: CompatibilityStatus | null;
  /** For the filtered bike when there is one, else over all bikes. */
  confirmations: number;
  refutations: number;
}

export interface FacetValue {
  value: string;
  count: number;
}

/**
 * Each facet counts over the matches with every filter applied except its own, so a rider sees what
 * picking another value would give (as /api/bikes/:id/parts does). Ordered by count, then value.
 */
export interface SearchFacets {
  category: FacetValue[];
  brand: FacetValue[];
  status: FacetValue[];
}

export interface SearchResult {
  hits: SearchHit[];
  facets: SearchFacets;
  total: number;
  /**
   * Whether `total` and the facet counts counted every match (true) or are estimates (false). An
   * engine may estimate for a query matching very many parts (PostgreSQL: more than its exact
   * count limit, 1,000 by default); it then says so here, as Meilisearch's `estimatedTotalHits`
   * and Algolia's `exhaustive` do.
   */
  exhaustive: { total: boolean; facets: boolean };
  engine: SearchEngine;
  page: number;
  limit: number;
}

export type SearchEngine = 'postgres' | 'meilisearch';

/**
 * The catalog search port. Adapters: PostgreSQL (embedded default) and Meilisearch (production).
 * Both pass `catalog-search.contract.ts` (Meilisearch only where a server runs: `npm run test:stores`,
 * CI's stores workflow). What every adapter keeps:
 * - every word of the query must match (a SKU key may stand for its words); words of 5+ letters
 *   are typo-tolerant (the contract holds one typo in "exaust", two in the 8-letter "akrapvik");
 *   a word with a digit (a year, a model code, a SKU) is never corrected;
 * - `total` and every facet count all the matches, exactly, unless `exhaustive` says they are
 *   estimates; facets ignore their own filter;
 * - `category` and `status` filter exactly, `brand` ignoring case; a bike filter keeps the parts
 *   known for that bike, and browsing it by relevance puts its verified parts first;
 * - failures of the engine are `SearchUnavailable` (503 at the API; `permanent` when resending the
 *   same request cannot succeed), bad queries `ValidationFailed` before any engine sees them.
 */
export interface CatalogSearch {
  readonly engine: SearchEngine;
  /** Makes the index ready to receive documents (settings, tables); idempotent. */
  prepare(): Promise<void>;
  /**
   * Inserts or replaces documents by id; resolves once the engine has accepted them, rejects when it
   * did not (so a caller may move a checkpoint only after it resolved).
   */
  upsert(documents: readonly SearchDocument[]): Promise<void>;
  /** Throws `ValidationFailed` (from @mpp/domain) naming the field for a query it will not run. */
  search(query: SearchQuery): Promise<SearchResult>;
  close(): Promise<void>;
}

export const SEARCH_LIMITS = {
  /** Longer text is a 400 naming `q`: nobody types more, and it bounds the work of one query. */
  queryLength: 200,
  /** Words past this are ignored (Meilisearch does the same at 10). */
  terms: 10,
  defaultLimit: 24,
  maxLimit: 100,
  /** Deepest result reachable by paging; the total counts every match beyond it. */
  maxOffset: 10_000,
} as const;
