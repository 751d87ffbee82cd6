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
 * The value of SEARCHED_BIKES aggregated in the same pass as DOCUMENT_BIKES (same `sf`, `b`, group
 * and order), for a statement that aggregates every document's bikes anyway (the bulk finish): the
 * shape `public.search_searched_bikes` gives, without calling it once per document (a SQL function
 * with a query in its body is run, not inlined: a quarter of the finish's own work). The bulk form's
 * tests compare its documents with the live form's, which calls the function.
 */
export const DOCUMENT_SEARCHED_BIKES = `jsonb_agg(jsonb_build_object('bikeId', sf.bike_id, 'label', coalesce(b.label, ''), 'status', sf.status)
                   ORDER BY b.label, sf.bike_id) AS searched_bikes`;

/**
 * The column of a document's bikes without their counts ([{bikeId, label, status}], in `bikes`'
 * order). The search vector, the bike arrays and the status mask are generated from it, not from
 * `bikes`: a verification that moves only a pair's counts (most do) assigns `bikes` and leaves this
 * column, and so every generated column and its index entries, alone.
 */
export const SEARCHED_BIKES = 'searched_bikes';

/**
 * The value of SEARCHED_BIKES for a document whose `bikes` are the SQL expression `bikes` (not
 * NULL): `public.search_searched_bikes` of migration 0035, which @mpp/search's fixture writer calls
 * too (DOCUMENT_SEARCHED_BIKES builds the same while aggregating). Schema-qualified, as the
 * statements run with a generation's schema, not `public`, in mind.
 */
export const searchedBikesOf = (bikes: string): string => `public.search_searched_bikes(${bikes})`;
