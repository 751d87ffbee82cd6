export { createKnex, type Knex, type KnexOptions } from './knex.js';
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from './embedded-postgres.js';
export { migrateToLatest, rollbackAll } from './migrate.js';
export { readUserKeys, userKeyFor, deleteUserKey } from './user-keys.js';
export { API_PRIVILEGES, loginOf, PROJECTOR_PRIVILEGES, provisionLoginRole, withLogin, type PrivilegeRole } from './login-roles.js';
export { copyEventLogWithKeys } from './copy-event-log.js';
export { backendPriorityHook, lowerBackendPriority, lowerOwnPriority, autogroupNiceOf, type LoweredPriority } from './backend-priority.js';
