import type { Knex } from 'knex';

/**
 * Least privilege in PostgreSQL (DESIGN §10, docs/reliability.md "Database roles"). Two privilege
 * roles without LOGIN carry every grant; the login roles the processes connect as (their names
 * and passwords come from configuration: DATABASE_URL of each process) are members of one of them
 * and start every session as it (`ALTER ROLE … SET role`, libs/db provisionLoginRole), so what a
 * projector creates at run time (generation schemas, the public views) belongs to the privilege
 * role, not to whichever login made it. Fixed names keep migrations free of configuration.
 */
export const API_PRIVILEGES = 'mpp_api';
export const PROJECTOR_PRIVILEGES = 'mpp_projector';
export const LEAST_PRIVILEGE_MIGRATION = '0018-least-privilege-roles';
export type PrivilegeRole = typeof API_PRIVILEGES | typeof PROJECTOR_PRIVILEGES;

/**
 * Who writes each table of schema `public`. A table a migration adds must be listed here: the
 * migrations test fails for one that is not. Unlisted tables are readable by the API only
 * (default privileges), never writable.
 */
export const TABLE_WRITERS: Readonly<Record<string, 'api' | 'projector' | 'owner'>> = {
  // accounts, mail, jobs, webhooks, rate limits: the API and its scheduled jobs
  users: 'api',
  sessions: 'api',
  idempotency_keys: 'api',
  integration_errors: 'api',
  processed_webhooks: 'api',
  stripe_subscriptions: 'api',
  email_outbox: 'api',
  job_runs: 'api',
  affiliate_clicks: 'api',
  data_quality_runs: 'api',
  data_quality_findings: 'api',
  sitemap_files: 'api',
  price_alerts: 'api',
  rate_limit_windows: 'api',
  // per-rider keys of sealed free text (erasure deletes them); the projector reads them to unseal notes
  user_keys: 'api',
  // signed checkpoints queued for the witness URL (the audit-witness job)
  audit_witness_deliveries: 'api',
  // the projector's bookkeeping (the read models themselves live in its own generation schemas)
  projection_checkpoints: 'projector',
  projection_dead_letters: 'projector',
  search_index_checkpoints: 'projector',
  projection_event_store: 'projector',
  projection_leases: 'projector',
  projector_members: 'projector',
  // the log: INSERT and SELECT only, granted apart below
  events: 'owner',
  // written by the operator's CLI and migrations
  deployed_projections: 'owner',
  knex_migrations: 'owner',
  knex_migrations_lock: 'owner',
};

/** Account data the projector has no business reading. */
const API_ONLY_READS = ['users', 'sessions', 'idempotency_keys', 'stripe_subscriptions', 'processed_webhooks', 'email_outbox', 'rate_limit_windows'];

/** The projector's Meilisearch indexer records its failed calls like the API's integrations do. */
const PROJECTOR_ALSO_INSERTS = ['integration_errors'];

/** `POST /api/admin/projections/:name/rebuild` records a request (a new `building` generation) that the projector then builds. */
const API_ALSO_INSERTS = ['projection_checkpoints'];

/**
 * Creates the two privilege roles unless they exist. Roles belong to the whole cluster, so two
 * databases migrating at once (the test suites) may race: the loser's duplicate is ignored.
 * Needs CREATEROLE (or a superuser) the first time only.
 */
export async function ensurePrivilegeRoles(knex: Knex): Promise<void> {
  for (const role of [API_PRIVILEGES, PROJECTOR_PRIVILEGES]) {
    await knex.raw(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
          CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END
      $$`);
  }
  // The owner changes ownership to and sets default privileges for the projector's role: it must be
  // a member (a superuser needs nothing).
  await knex.raw(`
    DO $$
    BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
         AND NOT pg_has_role(current_user, '${PROJECTOR_PRIVILEGES}', 'MEMBER') THEN
        EXECUTE format('GRANT ${PROJECTOR_PRIVILEGES} TO %I', current_user);
      END IF;
    END
    $$`);
}

/**
 * The grants step, run by migration 0018 and again after every migration run (libs/db
 * migrateToLatest), so a table a later migration adds gets its writer's grants from TABLE_WRITERS
 * without a grant statement of its own. Idempotent; GRANT of what is granted is a no-op.
 */
export async function grantRolePrivileges(knex: Knex): Promise<void> {
  // Roles belong to the cluster and may exist while this database is not yet (or no longer) at 0018.
  const applied = await knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'knex_migrations'`);
  if (applied.rows.length === 0) return;
  const at0018 = await knex('knex_migrations').where({ name: LEAST_PRIVILEGE_MIGRATION }).first();
  if (at0018) await applyRolePrivileges(knex);
}

/** The grants themselves (migration 0018 calls this before its own row is recorded). */
export async function applyRolePrivileges(knex: Knex): Promise<void> {
  const { rows } = await knex.raw<{ rows: { name: string }[] }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND pg_get_userbyid(c.relowner) = current_user`,
  );
  const tables = rows.map((r) => r.name);
  const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const database = (await knex.raw<{ rows: { name: string }[] }>('SELECT current_database() AS name')).rows[0]!.name;

  await knex.raw(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${API_PRIVILEGES}, ${PROJECTOR_PRIVILEGES}`);
  // Schemas of new generations.
  await knex.raw(`GRANT CREATE ON DATABASE ${ident(database)} TO ${PROJECTOR_PRIVILEGES}`);
  await knex.raw(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  await knex.raw(`GRANT USAGE ON SCHEMA public TO ${API_PRIVILEGES}, ${PROJECTOR_PRIVILEGES}`);
  // The views that point the public names of read models at the serving generation.
  await knex.raw(`GRANT CREATE ON SCHEMA public TO ${PROJECTOR_PRIVILEGES}`);

  for (const table of tables) {
    const writer = TABLE_WRITERS[table];
    const name = ident(table);
    await knex.raw(`GRANT SELECT ON ${name} TO ${API_PRIVILEGES}`);
    if (!API_ONLY_READS.includes(table)) await knex.raw(`GRANT SELECT ON ${name} TO ${PROJECTOR_PRIVILEGES}`);
    if (writer === 'api') await knex.raw(`GRANT INSERT, UPDATE, DELETE ON ${name} TO ${API_PRIVILEGES}`);
    if (writer === 'projector') await knex.raw(`GRANT INSERT, UPDATE, DELETE ON ${name} TO ${PROJECTOR_PRIVILEGES}`);
    if (PROJECTOR_ALSO_INSERTS.includes(table)) await knex.raw(`GRANT INSERT ON ${name} TO ${PROJECTOR_PRIVILEGES}`);
    if (API_ALSO_INSERTS.includes(table)) await knex.raw(`GRANT INSERT ON ${name} TO ${API_PRIVILEGES}`);
  }
  // The log: append and read. No UPDATE, DELETE or TRUNCATE for anyone but its owner, and the
  // trigger of migration 0011b refuses those to the owner too.
  if (tables.includes('events')) await knex.raw(`GRANT INSERT ON events TO ${API_PRIVILEGES}`);
  // Counters behind ids; the API's appends hand out positions with nextval/setval.
  await knex.raw(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${API_PRIVILEGES}, ${PROJECTOR_PRIVILEGES}`);
  const positions = await knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_class WHERE relname = 'events_position_seq' AND relkind = 'S'`);
  if (positions.rows.length > 0) await knex.raw(`GRANT UPDATE ON SEQUENCE events_position_seq TO ${API_PRIVILEGES}`);

  // What the owner creates later outside this step is readable by the API, never writable; and
  // what the projector creates (generation tables, public views) is readable by the API.
  await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${API_PRIVILEGES}`);
  await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${API_PRIVILEGES}, ${PROJECTOR_PRIVILEGES}`);
  await knex.raw(`ALTER DEFAULT PRIVILEGES FOR ROLE ${PROJECTOR_PRIVILEGES} GRANT SELECT ON TABLES TO ${API_PRIVILEGES}`);
  await knex.raw(`ALTER DEFAULT PRIVILEGES FOR ROLE ${PROJECTOR_PRIVILEGES} GRANT USAGE ON SCHEMAS TO ${API_PRIVILEGES}`);
}
