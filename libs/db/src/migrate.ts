import type { Knex } from 'knex';
import { grantRolePrivileges, migrationSource, refreshAnalyticsViews } from '@mpp/migrations';

/**
 * Brings the schema to the latest migration; safe to call from several processes (knex takes a lock).
 * Then the `analytics` views follow the event schemas of this build (a no-op when they already do),
 * and the apps' roles get their grants on whatever tables the migrations added (docs/reliability.md).
 */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
  await refreshAnalyticsViews(knex);
  await grantRolePrivileges(knex);
  return applied;
}

export async function rollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ migrationSource }, true);
}
