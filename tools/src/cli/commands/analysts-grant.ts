import type { Knex } from 'knex';
import pg from 'pg';
import { ANALYTICS_SCHEMA } from '@mpp/migrations';
import { onePositional, optionalString } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';

export interface AnalystsGrantOptions {
  role: string;
  /** Sets the role's password from this environment variable (never from the command line, which `ps` shows). */
  password?: string;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A role name we create and grant to: a plain identifier, never a system role. */
export function checkRoleName(role: string): string {
  if (!ROLE_NAME.test(role)) throw new CliUsageError(`<role> must be a plain lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters), got ${JSON.stringify(role)}`);
  if (role.startsWith('pg_') || role === 'public' || role === 'postgres') throw new CliUsageError(`${role} is a role of PostgreSQL itself; choose a name of your own, e.g. analysts`);
  return role;
}

/**
 * A login role that reads the `analytics` views and nothing else: USAGE on the schema, SELECT on
 * its views (and, through default privileges, on the views a later migration re-creates), and
 * read-only transactions by default. The views read `events` with their owner's rights, so the
 * role needs no privilege on the log itself. An existing role is only granted to, and refused if it
 * can do more than read (superuser, create roles or databases, bypass row security).
 */
export async function grantAnalysts(context: CliContext, options: AnalystsGrantOptions): Promise<number> {
  const role = checkRoleName(options.role);
  const ident = pg.escapeIdentifier(role);
  const out = (line: string) => writeLine(context.out, line);
  const schema = await context.knex.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_namespace WHERE nspname = ?', [ANALYTICS_SCHEMA]);
  if (schema.rows.length === 0) {
    writeLine(context.err, `this database has no ${ANALYTICS_SCHEMA} schema yet: run \`npm run migrate\` (migration 0015) first`);
    return EXIT.failed;
  }
  const created = await context.knex.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: { powerful: boolean; is_self: boolean }[] }>(
      `SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication AS powerful, rolname = current_user AS is_self
         FROM pg_roles WHERE rolname = ?`,
      [role],
    );
    const existing = rows[0];
    if (existing?.is_self) throw new CliUsageError(`${role} is the role mpp connects as; an analysts' role must be another one`);
    if (existing?.powerful) throw new CliUsageError(`role ${role} exists and can do more than read (superuser, CREATEROLE, CREATEDB, BYPASSRLS or REPLICATION); refusing to call it an analysts' role`);
    if (!existing) await trx.raw(`CREATE ROLE ${ident} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT`);
    if (options.password !== undefined) await trx.raw(`ALTER ROLE ${ident} PASSWORD ${pg.escapeLiteral(options.password)}`);
    await trx.raw(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(await currentDatabase(trx))} TO ${ident}`);
    await trx.raw(`GRANT USAGE ON SCHEMA ${ANALYTICS_SCHEMA} TO ${ident}`);
    await trx.raw(`GRANT SELECT ON ALL TABLES IN SCHEMA ${ANALYTICS_SCHEMA} TO ${ident}`);
    // Views that a later migration run re-creates (a changed event schema) are granted again by this.
    await trx.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${ANALYTICS_SCHEMA} GRANT SELECT ON TABLES TO ${ident}`);
    await trx.raw(`ALTER ROLE ${ident} SET default_transaction_read_only = on`);
    return !existing;
  });
  out(`${created ? 'created login role' : 'granted to existing role'} ${role}: SELECT on the views of schema ${ANALYTICS_SCHEMA}, read-only transactions by default`);
  if (options.password === undefined && created) out(`it has no password yet: set one with  ALTER ROLE ${role} PASSWORD '…'  or run again with --password-env VAR`);
  out(`e.g.  psql "postgres://${role}:…@<host>/<database>" -c 'SELECT count(*) FROM ${ANALYTICS_SCHEMA}.price_observed'`);
  return EXIT.ok;
}

async function currentDatabase(trx: Knex.Transaction): Promise<string> {
  const { rows } = await trx.raw<{ rows: { name: string }[] }>('SELECT current_database() AS name');
  return rows[0]!.name;
}

export const analystsGrantCommand: CliCommand<AnalystsGrantOptions> = {
  words: ['analysts', 'grant'],
  usage: `mpp analysts grant <role> [--password-env VAR]
  Creates the login role <role> if it does not exist, lets it read the analytics views (one per
  event type, docs/analysts.md) and nothing else, and makes its transactions read-only by default.
  Needs a database user that may create roles (the one that runs migrations).
  --password-env VAR   set the role's password from environment variable VAR`,
  options: { 'password-env': { type: 'string' } },
  parse: (args) => {
    const variable = optionalString(args, 'password-env');
    const password = variable === undefined ? undefined : process.env[variable];
    if (variable !== undefined && !password) throw new CliUsageError(`--password-env ${variable}: that environment variable is empty or not set`);
    return { role: checkRoleName(onePositional(args, 'role')), ...(password === undefined ? {} : { password }) };
  },
  run: grantAnalysts,
};
