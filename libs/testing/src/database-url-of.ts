import type { Knex } from 'knex';

/** The URL a test's pool connects with, for another pool or a spawned process to use the same database. */
export function databaseUrlOf(knex: Knex): string {
  const connection = (knex.client as { config: { connection: { connectionString: string } } }).config.connection;
  return connection.connectionString;
}
