/** SQL shared by the live statements and the bulk finish of the search-documents projection. */

/**
 * A document's bikes with each pair's counts, as readers show them (ordered by label, so every
 * writer gives identical JSON), and its totals, aggregated over `sf` (search_fitment) left-joined to
 * `b` (search_bikes), grouped by part. All that a verification moving only counts assigns; the
 * searched bikes are derived from these `bikes` where a statement assigns them (searchedBikesOf).
 */
export const DOCUMENT_BIKES = `jsonb_agg(jsonb_build_object(
                     'bikeId', sf.bike_id, 'label', coalesce(b.label, ''), 'status', sf.status,
                     'confirmations', sf.confirmations, 'refutations', sf.refutations)
                   ORDER BY b.label, sf.bike_id) AS bikes,
                   sum(sf.confirmations)::int AS confirmations, sum(sf.refutations)::int AS refutations`;

/**
 * The column of a document's bikes without their counts ([{bikeId, label, status}], in `bikes`'
 * order). The search vector, the bike arrays and the status mask are generated from it, not from
 * `bikes`: a verification that moves only a pair's counts (most do) assigns `bikes` and leaves this
 * column, and so every generated column and its index entries, alone.
 */
export const SEARCHED_BIKES = 'searched_bikes';

/**
 * The value of SEARCHED_BIKES for a document whose `bikes` are the SQL expression `bikes` (not
 * NULL): `public.search_searched_bikes` of migration 0035, the one definition of the shape, which
 * @mpp/search's fixture writer calls too. Schema-qualified, as the statements run with a
 * generation's schema, not `public`, in mind.
 */
export const searchedBikesOf = (bikes: string): string => `public.search_searched_bikes(${bikes})`;
