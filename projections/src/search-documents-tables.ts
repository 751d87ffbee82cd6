/** The tables of the search-documents projection (search-documents.projection.ts). */
export const DOCUMENTS = 'search_documents';
/** Surface words of all documents, for typo correction (trigram index). */
export const VOCABULARY = 'search_vocabulary';
/** Parts per (category, brand, status mask): browse and facet-only queries read their counts here. */
export const FACET_COUNTS = 'search_facet_counts';
/** Private state: bike labels, each pair's evidence, each retailer's current price. */
export const BIKES = 'search_bikes';
export const FITMENT = 'search_fitment';
export const VERIFICATIONS = 'search_verifications';
export const PRICES = 'search_prices';
