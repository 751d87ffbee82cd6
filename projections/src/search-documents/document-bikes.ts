/** SQL shared by the live statements and the bulk finish of the search-documents projection. */

/**
 * A document's bikes (ordered by label, so every writer gives identical JSON) and totals, aggregated
 * over `sf` (search_fitment) left-joined to `b` (search_bikes), grouped by part: `bikes` with each
 * pair's counts, as readers show them; `searched_bikes` without them, what the search columns are
 * generated from (SEARCHED_BIKES).
 */
export const DOCUMENT_BIKES = `jsonb_agg(jsonb_build_object(
                     'bikeId', sf.bike_id, 'label', coalesce(b.label, ''), 'status', sf.status,
                     'confirmations', sf.confirmations, 'refutations', sf.refutations)
                   ORDER BY b.label, sf.bike_id) AS bikes,
                   jsonb_agg(jsonb_build_object('bikeId', sf.bike_id, 'label', coalesce(b.label, ''), 'status', sf.status)
                   ORDER BY b.label, sf.bike_id) AS searched_bikes,
                   sum(sf.confirmations)::int AS confirmations, sum(sf.refutations)::int AS refutations`;

/**
 * The column of a document's bikes without their counts ([{bikeId, label, status}], in `bikes`'
 * order). The search vector, the bike arrays and the status mask are generated from it, not from
 * `bikes`: a verification that moves only a pair's counts (most do) assigns `bikes` and leaves this
 * column, and so every generated column and its index entries, alone.
 */
export const SEARCHED_BIKES = 'searched_bikes';
