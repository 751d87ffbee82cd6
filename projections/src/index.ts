import type { EventStore } from '@mpp/event-store';
import type { ProjectionDefinition } from '@mpp/projection-runner';
import { meilisearchIndexTarget, searchIndexer } from './indexers/search-index.indexer.js';
import { verificationReceiptsReactor } from './reactors/verification-receipts.reactor.js';
import { DISCOVERED_PROJECTIONS, type ProjectionName } from './projection-registry.generated.js';

// Every `<name>.projection.ts` module is found by tools/projections/write-projection-registry.mjs,
// which writes projection-registry.generated.ts before each build: a new projection is one file.
export * from './projection-registry.generated.js';

/** Every read-model projection the projector runs. */
export const ALL_PROJECTIONS: readonly ProjectionDefinition[] = DISCOVERED_PROJECTIONS;

/** The reactors: consumers with effects and no tables (docs/projections.md, "Reactors"). They read names from the event store. */
export const allReactors = (store: Pick<EventStore, 'readStreams'>): readonly ProjectionDefinition[] => [verificationReceiptsReactor(store)];

/**
 * Everything the projector runs on the projection runner, and what status, metrics and rebuild know
 * of: the read models, the reactors and, when Meilisearch is configured, the search indexer.
 */
export const allConsumers = (store: Pick<EventStore, 'readStreams'>, config: MeilisearchConnection = {}): readonly ProjectionDefinition[] => [
  ...ALL_PROJECTIONS,
  ...allReactors(store),
  ...(config.MEILI_URL ? [searchIndexer(meilisearchIndexTarget({ url: config.MEILI_URL, apiKey: config.MEILI_MASTER_KEY }))] : []),
];

/** The part of the app config (or the environment) that says whether and where Meilisearch runs. */
export interface MeilisearchConnection {
  MEILI_URL?: string;
  MEILI_MASTER_KEY?: string;
}

export { SEARCH_INDEX, buildIndexUid, meilisearchIndexTarget, searchIndexer, type SearchIndexTarget } from './indexers/search-index.indexer.js';

export { VERIFICATION_RECEIPTS, receiptSubject, type ReceiptMailData } from './reactors/verification-receipts.reactor.js';
export { RECEIPTS_PER_DAY } from './reactors/receipts-per-day.js';

/** What a projection module outside this folder (`mpp projections replay --file`) uses to read events. */
export { dataOf, occurredAt } from './shared/recorded-event.js';

/**
 * Which projections each query family reads, for read-your-writes: a query sent with
 * `X-Min-Position` waits until all of these have reached the position (`waitForPosition`).
 * Listing one too many only costs a little waiting; one too few serves stale rows marked consistent.
 */
export const QUERY_PROJECTIONS = {
  /** GET /api/bikes, /api/bikes/options, /api/bikes/:idOrSlug */
  bikes: ['catalog'],
  /** GET /api/bikes/options: the cascade, from listed_bikes */
  bikeCascade: ['bike-listings'],
  /** GET /api/bikes/:idOrSlug/parts: bike_listings (+ its facet counts) */
  bikeParts: ['bike-listings'],
  /** GET /api/parts/:idOrSlug: part_pages (the part, its current prices and its fitment summary) */
  partDetail: ['bike-listings'],
  /** GET /api/parts/:idOrSlug/verifications */
  partVerifications: ['catalog', 'verification-log'],
  /** GET /api/parts/:idOrSlug/compatibility (without asOf; time travel reads the event store) */
  partCompatibility: ['catalog', 'compatibility'],
  /** GET /api/retailers */
  retailers: ['catalog'],
  /** GET /api/prices/:partId (retailer names come from the catalog) */
  prices: ['catalog', 'prices'],
  /** GET /api/prices/:partId/history */
  priceHistory: ['prices'],
  /** GET /api/builds, /api/builds/:id: the build, its parts' categories, warnings (compatibility) and total (prices) */
  builds: ['builds', 'catalog', 'compatibility', 'prices'],
  /** Analysts' statistics */
  verificationsPerMakeMonth: ['verifications-per-make-month'],
  /** GET /api/search: search_documents (with Meilisearch, the indexer trails it; see docs/search.md) */
  search: ['search-documents'],
} as const satisfies Record<string, readonly ProjectionName[]>;

export type QueryFamily = keyof typeof QUERY_PROJECTIONS;

export * from './bike-listings/bike-listing-reads.js';
export { bikeListingKey, partPageKey, CASCADE_KEY } from './bike-listings/listing-changes.js';
export * from './compatibility/compatibility-reads.js';
export * from './verification-log/verification-log-reads.js';
export { readKeyVersion, readKeysChangedAfter } from './shared/key-versions.js';
export { partCompatibilityKey } from './compatibility/compatibility-versions.js';
export { partVerificationsKey } from './verification-log/verification-log-versions.js';
export { partPricesKey } from './prices/prices-versions.js';
export * from './prices/prices-reads.js';

// Each read model's public table names, for the readers outside this package (the API, the tools and
// their tests): a table is spelled in its read model's folder alone. Private state tables stay inside.
export { LISTINGS as BIKE_LISTINGS, FACETS as BIKE_LISTING_FACETS, PART_PAGES, LISTED_BIKES, VERSIONS as BIKE_LISTING_VERSIONS } from './bike-listings/bike-listings.tables.js';
export { BUILDS, BUILD_PARTS } from './builds/builds.tables.js';
export { BIKES, PARTS, RETAILERS } from './catalog/catalog.tables.js';
export type { BikeRow, PartRow } from './catalog/catalog-fold.js';
export { COMPATIBILITY_RECORDS, COMPATIBILITY_VERSIONS } from './compatibility/compatibility.tables.js';
export { PART_PRICES, PRICE_HISTORY, PART_BEST_PRICES, PRICE_VERSIONS } from './prices/prices.tables.js';
export { SEARCH_DOCUMENTS, SEARCH_VOCABULARY, SEARCH_FACET_COUNTS } from './search-documents/search-documents.tables.js';
export { VERIFICATION_LOG, VERIFICATION_LOG_EVENTS, VERIFICATION_LOG_VERSIONS } from './verification-log/verification-log.tables.js';
export { VERIFICATIONS_PER_MAKE_MONTH } from './verifications-per-make-month/verifications-per-make-month.tables.js';
