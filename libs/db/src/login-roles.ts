import pg from 'pg';
import type { Knex } from 'knex';
import { API_PRIVILEGES, ensurePrivilegeRoles, PROJECTOR_PRIVILEGES, type PrivilegeRole } from '@mpp/migrations';

export { API_PRIVILEGES, PROJECTOR_PRIVILEGES, type PrivilegeRole };

/** The role and password in a postgres:// URL: the login a process connects as. */
export function loginOf(databaseUrl: string): { user: string; password: string | undefined } {
  const url = new URL(databaseUrl);
  return { user: decodeURIComponent(url.username), password: url.password === '' ? undefined : decodeURIComponent(url.password) };
}

/** The same server and database as `databaseUrl`, signed in as another login. */
export function withLogin(databaseUrl: string, user: string, password: string): string {
  const url = new URL(databaseUrl);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * Makes the login of `databaseUrl` a least-privilege role: created unless it exists (LOGIN, nothing
 * more), its password set from the URL, made a member of `privileges`, and set to act as that role
 * in every session, so objects it creates belong to the privilege role. Run by a role that may
 * create roles (the owner or the superuser); the privilege roles are made here too when absent.
 * Refuses a login that is a superuser or the caller itself: that would be no least privilege at all.
 */
export async function provisionLoginRole(knex: Knex, databaseUrl: string, privileges: PrivilegeRole): Promise<void> {
  const { user, password } = loginOf(databaseUrl);
  const ident = pg.escapeIdentifier(user);
  const { rows } = await knex.raw<{ rows: { powerful: boolean; is_self: boolean }[] }>(
    'SELECT rolsuper OR rolbypassrls AS powerful, rolname = current_user OR rolname = session_user AS is_self FROM pg_roles WHERE rolname = ?',
    [user],
  );
  const existing = rows[0];
  if (existing?.is_self) throw new Error(`${user} is the role that runs migrations; the ${privileges} login must be another one`);
  if (existing?.powerful) throw new Error(`role ${user} is a superuser or bypasses row security; the ${privileges} login must be an ordinary role`);
  if (!existing) {
    await knex.raw(`
      DO $$
      BEGIN
        CREATE ROLE ${ident} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END
      $$`);
  }
  await ensurePrivilegeRoles(knex);
  if (password !== undefined) await knex.raw(`ALTER ROLE ${ident} PASSWORD ${pg.escapeLiteral(password)}`);
  const member = await knex.raw<{ rows: { yes: boolean }[] }>('SELECT pg_has_role(?, ?, \'MEMBER\') AS yes', [user, privileges]);
  if (!member.rows[0]!.yes) await knex.raw(`GRANT ${pg.escapeIdentifier(privileges)} TO ${ident}`);
  await knex.raw(`ALTER ROLE ${ident} SET role = ${pg.escapeLiteral(privileges)}`);
}
