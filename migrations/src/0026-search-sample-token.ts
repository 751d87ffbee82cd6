import type { Knex } from 'knex';

/**
 * The sample tokens of a search document, which the search-documents projection (v3) adds to each
 * search vector. A document falls in bucket b = the last byte of its part id mod 64 (random in a v4
 * or v7 uuid) and carries `#s<j>` for every j in 0..5 with b < 2^j: `#s<j>` marks a sample of
 * 2^j/64 of the catalog, chosen independently of the content, each sample inside the next.
 *
 * A query matching more parts than the PostgreSQL adapter counts one by one ANDs one token into
 * its tsquery: the GIN index then hands back only the sample's matches, and the adapter scales
 * their counts by 64/2^j into estimates it reports as such. A rider cannot type a token: the query
 * normaliser turns `#` into a space.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION public.search_sample_tokens(part_id uuid) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN array_to_tsvector(ARRAY(
        SELECT '#s' || level FROM generate_series(0, 5) AS level
         WHERE (get_byte(uuid_send(part_id), 15) & 63) < (1 << level)))`);
}

export async function down(knex: Knex): Promise<void> {
  // CASCADE: the search vectors of search-documents generations depend on it.
  await knex.raw('DROP FUNCTION IF EXISTS public.search_sample_tokens(uuid) CASCADE');
}
