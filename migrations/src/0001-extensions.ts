import type { Knex } from 'knex';

/** Search (trigram, unaccent) and hashing need these; they ship with every PostgreSQL build we use. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS unaccent');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pgcrypto');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP EXTENSION IF EXISTS pgcrypto');
  await knex.raw('DROP EXTENSION IF EXISTS unaccent');
  await knex.raw('DROP EXTENSION IF EXISTS pg_trgm');
}
