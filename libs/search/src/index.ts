export {
  SEARCH_LIMITS,
  SEARCH_SORTS,
  type CatalogSearch,
  type FacetValue,
  type FittedBike,
  type SearchDocument,
  type SearchEngine,
  type SearchFacets,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  type SearchSort,
} from './catalog-search.port.js';
export { SearchRequestRejected, SearchTaskFailed, SearchUnavailable } from './search-errors.js';
export { resolveSearchQuery, type ResolvedSearchQuery } from './search-query.js';
export { analyseQuery, normaliseText, skuKey, type AnalysedQuery, type QueryTerm } from './query-normaliser.js';
export { MODEL_SYNONYMS, SYNONYM_GROUPS, WORD_SYNONYMS, buildSynonymIndex, meilisearchSynonyms, type SynonymIndex } from './synonyms.js';
export { createPostgresCatalogSearch, type PostgresCatalogSearchOptions } from './postgres/postgres-catalog-search.js';
export { upsertSearchDocuments, documentFromRow, DOCUMENT_COLUMNS, type SearchDocumentRow } from './postgres/search-document-rows.js';
export { searchTables, type SearchTables } from './postgres/search-tables.js';
export {
  DEFAULT_INDEX_UID,
  createMeilisearchCatalogSearch,
  type MeilisearchCatalogSearch,
  type MeilisearchCatalogSearchOptions,
} from './meilisearch/meilisearch-catalog-search.js';
export { meilisearchSettings } from './meilisearch/meilisearch-settings.js';
export { toMeilisearchPart, type MeilisearchPart } from './meilisearch/meilisearch-documents.js';

