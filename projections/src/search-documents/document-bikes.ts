/** SQL shared by the live statements and the bulk finish of the search-documents projection. */

/**
 * A document's bikes (ordered by label, so every writer gives identical JSON) and totals, aggregated
 * over `sf` (search_fitment) left-joined to `b` (search_bikes), grouped by part.
 */
export const DOCUMENT_BIKES = `jsonb_agg(jsonb_build_object(
                     'bikeId', sf.bike_id, 'label', coalesce(b.label, ''), 'status', sf.status,
                     'confirmations', sf.confirmations, 'refutations', sf.refutations)
                   ORDER BY b.label, sf.bike_id) AS bikes,
                   sum(sf.confirmations)::int AS confirmations, sum(sf.refutations)::int AS refutations`;
