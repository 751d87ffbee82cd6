import type { Knex } from 'knex';

/**
 * Crypto-shredding (docs/domain.md "Sealed free text"): one AES-256 key per person, kept apart from the log.
 * Riders' free text is sealed under it in the events; deleting the row makes that text unreadable
 * in the log, its exports and every rebuild, while the hash chains (which cover salted commitments)
 * still verify. The user id is text, not a reference to `users`: events name owners by id alone,
 * and the key must outlive nothing but itself.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE user_keys (
      user_id    text PRIMARY KEY,
      key        bytea NOT NULL CHECK (octet_length(key) = 32),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('user_keys');
}
