import type { Knex } from 'knex';

/**
 * `search_searched_bikes(bikes)`: a search document's bikes without their counts,
 * `[{bikeId, label, status}]` in `bikes`' order, the `searched_bikes` column the search vector, the
 * bike arrays and the status mask are generated from (search-documents projection v4, docs/search.md).
 * The one definition of that column's shape: the projection derives the column from the `bikes` it
 * aggregates, and `upsertSearchDocuments` of @mpp/search (fixtures, the benchmark) from the `bikes`
 * it is given. That library sits below the projections and cannot import their SQL; both reach the
 * database.
 *
 * A SQL-standard body (parsed when created, so it does not depend on the caller's search_path: the
 * projection writes from its generation schemas) and IMMUTABLE, as 0006's functions. Nothing is
 * generated from it: a generation written before this migration holds the very same JSON, which is
 * why the projection's version did not change.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION public.search_searched_bikes(bikes jsonb) RETURNS jsonb
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      BEGIN ATOMIC
        SELECT coalesce(jsonb_agg(jsonb_build_object('bikeId', b -> 'bikeId', 'label', b -> 'label', 'status', b -> 'status') ORDER BY n), '[]'::jsonb)
          FROM jsonb_array_elements(bikes) WITH ORDINALITY AS e(b, n);
      END`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS public.search_searched_bikes(jsonb)');
}
