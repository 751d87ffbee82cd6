import type { Knex } from 'knex';

/**
 * SQL functions of the PostgreSQL search adapter. The `search-documents` projection's tables compute
 * their search columns from these (generated columns), so every writer of a document (the
 * projection, the bench, the contract suite) gets the same vector and keys, and the query side
 * normalises text with the very same function.
 *
 * They are SQL-standard bodies (`RETURN ...`), parsed when created, so they do not depend on the
 * caller's search_path (the projection writes from its own schema), and IMMUTABLE, as generated
 * columns require. `unaccent` and `to_tsvector` are immutable here because the dictionary and the
 * text search configuration are named explicitly. Changing one of these needs a new migration and a
 * new projection version (stored generated columns are not recomputed on their own).
 *
 * Also the Meilisearch indexer's checkpoint, kept apart from the projections': it moves only after
 * Meilisearch reported the batch's task succeeded.
 */
export async function up(knex: Knex): Promise<void> {
  // Lower case, accents off, letters split from digits ("MT-07", "mt07" -> "mt 07"), the rest one space.
  await knex.raw(`
    CREATE FUNCTION public.search_normalise(input text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN btrim(regexp_replace(regexp_replace(regexp_replace(
               lower(public.unaccent('public.unaccent'::regdictionary, input)),
               '([a-z])([0-9])', '\\1 \\2', 'g'),
               '([0-9])([a-z])', '\\1 \\2', 'g'),
               '[^a-z0-9]+', ' ', 'g'))`);
  await knex.raw(`
    CREATE FUNCTION public.search_sku_key(sku text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, sku)), '[^a-z0-9]+', '', 'g')`);
  // bikes is the document's array of {bikeId, label, status, confirmations, refutations}.
  await knex.raw(`
    CREATE FUNCTION public.search_bike_labels(bikes jsonb) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      BEGIN ATOMIC
        SELECT coalesce(string_agg(b ->> 'label', ' ; '), '') FROM jsonb_array_elements(bikes) AS b;
      END`);
  await knex.raw(`
    CREATE FUNCTION public.search_bike_ids(bikes jsonb) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      BEGIN ATOMIC
        SELECT coalesce(array_agg(b ->> 'bikeId' ORDER BY b ->> 'bikeId'), '{}') FROM jsonb_array_elements(bikes) AS b;
      END`);
  await knex.raw(`
    CREATE FUNCTION public.search_fit_keys(bikes jsonb) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      BEGIN ATOMIC
        SELECT coalesce(array_agg((b ->> 'bikeId') || ':' || (b ->> 'status') ORDER BY b ->> 'bikeId'), '{}') FROM jsonb_array_elements(bikes) AS b;
      END`);
  await knex.raw(`
    CREATE FUNCTION public.search_statuses(bikes jsonb) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      BEGIN ATOMIC
        SELECT coalesce(array_agg(DISTINCT b ->> 'status'), '{}') FROM jsonb_array_elements(bikes) AS b;
      END`);
  // Weights: A sku, brand, name; B the bikes it fits; C the category; D the description.
  await knex.raw(`
    CREATE FUNCTION public.search_document_vector(sku text, brand text, name text, category text, bikes jsonb, description text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN setweight(to_tsvector('english'::regconfig, public.search_normalise(coalesce(sku, '') || ' ' || coalesce(brand, '') || ' ' || coalesce(name, ''))), 'A')
          || setweight(to_tsvector('english'::regconfig, public.search_normalise(public.search_bike_labels(coalesce(bikes, '[]'::jsonb)))), 'B')
          || setweight(to_tsvector('english'::regconfig, public.search_normalise(coalesce(category, ''))), 'C')
          || setweight(to_tsvector('english'::regconfig, public.search_normalise(coalesce(description, ''))), 'D')`);
  // The surface words typo correction may suggest (the vector holds stems, which are no use to a speller).
  await knex.raw(`
    CREATE FUNCTION public.search_vocabulary_words(brand text, name text, category text, bikes jsonb, description text) RETURNS SETOF text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      BEGIN ATOMIC
        SELECT DISTINCT w
          FROM regexp_split_to_table(public.search_normalise(
                 coalesce(brand, '') || ' ' || coalesce(name, '') || ' ' || coalesce(category, '') || ' '
                 || public.search_bike_labels(coalesce(bikes, '[]'::jsonb)) || ' ' || coalesce(description, '')), ' ') AS w
         WHERE length(w) >= 4 AND w !~ '[0-9]';
      END`);

  await knex.schema.createTable('search_index_checkpoints', (t) => {
    t.text('index_uid').primary();
    // The search-documents generation the index was built from; another one means reindex and swap.
    t.integer('generation').notNullable();
    // Highest search_documents.updated_position the engine has confirmed.
    t.bigInteger('position').notNullable();
    t.integer('documents').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('search_index_checkpoints');
  for (const fn of [
    'search_vocabulary_words(text, text, text, jsonb, text)',
    'search_document_vector(text, text, text, text, jsonb, text)',
    'search_statuses(jsonb)',
    'search_fit_keys(jsonb)',
    'search_bike_ids(jsonb)',
    'search_bike_labels(jsonb)',
    'search_sku_key(text)',
    'search_normalise(text)',
  ]) {
    // CASCADE: generated columns of search-documents generations depend on them.
    await knex.raw(`DROP FUNCTION IF EXISTS public.${fn} CASCADE`);
  }
}
