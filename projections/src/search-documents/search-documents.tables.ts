/**
 * The search-documents read model's tables (docs/projections.md, "Read models"). The PostgreSQL
 * search adapter in @mpp/search reads the public three by the same names (`searchTables`): that
 * library sits below this package, so it cannot import them.
 */

/** One search document per part. */
export const SEARCH_DOCUMENTS = 'search_documents';
/** Surface words of all documents, for typo correction (trigram index). */
export const SEARCH_VOCABULARY = 'search_vocabulary';
/** Parts per (category, brand, status mask): browse and facet-only queries read their counts here. */
export const SEARCH_FACET_COUNTS = 'search_facet_counts';
/** Private state: bike labels, each pair's evidence, each retailer's current price. */
export const SEARCH_BIKES = 'search_bikes';
export const SEARCH_FITMENT = 'search_fitment';
export const SEARCH_VERIFICATIONS = 'search_verifications';
export const SEARCH_PRICES = 'search_prices';
