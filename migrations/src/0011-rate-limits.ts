import type { Knex } from 'knex';

/**
 * Rate-limit counters shared by every API process (DESIGN §9): one row per key and fixed window,
 * bumped by one upsert per request. UNLOGGED: counters that vanish in a crash only forgive a
 * minute of requests, and the table takes no WAL on the hottest write path. The key is a hash
 * (throttler, route, user id or IP), so no address is stored in clear.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE UNLOGGED TABLE rate_limit_windows (
      key text NOT NULL,
      window_number bigint NOT NULL,
      hits integer NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (key, window_number)
    )`);
  // The sweep deletes by expiry.
  await knex.raw('CREATE INDEX rate_limit_windows_expires_at ON rate_limit_windows (expires_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rate_limit_windows');
}
