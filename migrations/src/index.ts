import type { Knex } from 'knex';
import * as initialExtensions from './0001-extensions.js';
import * as eventStore from './0002-event-store.js';
import * as accounts from './0003-accounts.js';
import * as integrations from './0004-integrations.js';
import * as projections from './0005-projections.js';
import * as search from './0006-search.js';
import * as jobsAndAlerts from './0007-jobs-and-alerts.js';
import * as projectionEventStore from './0010-projection-event-store.js';
import * as analytics from './0015-analytics.js';
import * as deployedProjections from './0015c-deployed-projections.js';

export { ANALYTICS_SCHEMA, analyticsViewSelect, refreshAnalyticsViews } from './0015b-analytics-views.js';
import * as rateLimits from './0011-rate-limits.js';
import * as appendOnlyEvents from './0011b-append-only-events.js';
import * as projectionLeases from './0017-projection-leases.js';
import * as appendFunction from './0013-append-function.js';
import * as appendWithoutNotify from './0013b-append-without-notify.js';
import * as leastPrivilegeRoles from './0018-least-privilege-roles.js';
import * as userKeys from './0019-user-keys.js';
import * as projectionBulkMode from './0021-projection-bulk-mode.js';
import * as auditWitnessDeliveries from './0022-audit-witness-deliveries.js';
import * as deployedProjectionDetails from './0022b-deployed-projection-details.js';
import * as searchSampleToken from './0026-search-sample-token.js';
import * as receiptsReactorOnRunner from './0029-receipts-reactor-on-runner.js';
import * as searchIndexerOnRunner from './0030-search-indexer-on-runner.js';
import * as searchCoveringIndexes from './0032-search-covering-indexes.js';
import * as appendingMark from './0034-appending-mark.js';
import * as searchSearchedBikes from './0035-search-searched-bikes.js';
import * as streamIndexPerAppend from './0036-stream-index-per-append.js';
export { API_PRIVILEGES, ensurePrivilegeRoles, grantRolePrivileges, PROJECTOR_PRIVILEGES, TABLE_WRITERS, type PrivilegeRole } from './0018b-role-privileges.js';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations in the order they apply. Listing them as modules (rather than a directory knex scans)
 * keeps them compiled with the rest of the code and gives a compile error for a missing one.
 * Append only: never rename or reorder an entry that has shipped.
 */
const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001-extensions', initialExtensions],
  ['0002-event-store', eventStore],
  ['0003-accounts', accounts],
  ['0004-integrations', integrations],
  ['0005-projections', projections],
  ['0006-search', search],
  ['0007-jobs-and-alerts', jobsAndAlerts],
  ['0010-projection-event-store', projectionEventStore],
  ['0011-rate-limits', rateLimits],
  ['0011b-append-only-events', appendOnlyEvents],
  ['0013-append-function', appendFunction],
  ['0013b-append-without-notify', appendWithoutNotify],
  ['0015-analytics', analytics],
  ['0015c-deployed-projections', deployedProjections],
  ['0017-projection-leases', projectionLeases],
  ['0018-least-privilege-roles', leastPrivilegeRoles],
  ['0019-user-keys', userKeys],
  ['0021-projection-bulk-mode', projectionBulkMode],
  ['0022-audit-witness-deliveries', auditWitnessDeliveries],
  ['0022b-deployed-projection-details', deployedProjectionDetails],
  ['0026-search-sample-token', searchSampleToken],
  ['0029-receipts-reactor-on-runner', receiptsReactorOnRunner],
  ['0030-search-indexer-on-runner', searchIndexerOnRunner],
  ['0032-search-covering-indexes', searchCoveringIndexes],
  ['0034-appending-mark', appendingMark],
  ['0035-search-searched-bikes', searchSearchedBikes],
  ['0036-stream-index-per-append', streamIndexPerAppend],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([candidate]) => candidate === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};
