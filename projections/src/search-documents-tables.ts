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

/**
 * A document's bikes (ordered by label, so every writer gives identical JSON) and totals, aggregated
 * over `sf` (search_fitment) left-joined to `b` (search_bikes), grouped by part.
 */
export const DOCUMENT_BIKES = `jsonb_agg(jsonb_build_object(
                     'bikeId', sf.bike_id, 'label', coalesce(b.label, ''), 'status', sf.status,
                     'confirmations', sf.confirmations, 'refutations', sf.refutations)
                   ORDER BY b.label, sf.bike_id) AS bikes,
                   sum(sf.confirmations)::int AS confirmations, sum(sf.refutations)::int AS refutations`;
