import type { Knex } from 'knex';
import { migrationSource } from '@mpp/migrations';

/** Brings the schema to the latest migration; safe to call from several processes (knex takes a lock). */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

export async function rollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ migrationSource }, true);
}
