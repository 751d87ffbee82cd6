import type { Knex } from 'knex';
import { refreshAnalyticsViews } from './0015b-analytics-views.js';

/**
 * The SQL layer over the log (DESIGN §10, docs/analysts.md): schema `analytics` with one typed view
 * per event type. The views are derived from the event schemas, so they are generated
 * (0015b-analytics-views.ts) and refreshed after every migration run rather than spelled out here.
 */
export async function up(knex: Knex): Promise<void> {
  await refreshAnalyticsViews(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP SCHEMA IF EXISTS analytics CASCADE');
}
