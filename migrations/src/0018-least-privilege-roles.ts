import type { Knex } from 'knex';
import { API_PRIVILEGES, applyRolePrivileges, ensurePrivilegeRoles, PROJECTOR_PRIVILEGES } from './0018b-role-privileges.js';

/**
 * The apps stop running as the schema's owner (DESIGN §10; grants in 0018b-role-privileges.ts):
 * the privilege roles `mpp_api` and `mpp_projector`, the projector's existing read models handed to
 * its role (so it can keep writing and, after a rebuild, drop them), and the one piece of DDL the API
 * runs (next month's affiliate_clicks partition) behind a function that runs with the owner's rights.
 */
export async function up(knex: Knex): Promise<void> {
  await ensurePrivilegeRoles(knex);
  await handProjectionObjectsTo(knex, PROJECTOR_PRIVILEGES);
  // Creating a partition needs ownership of the parent table; the API gets this one statement
  // instead, with the name and bounds computed here from a month, never taken from the caller.
  await knex.raw(`
    CREATE FUNCTION mpp_create_affiliate_partition(p_month timestamptz) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      v_from timestamptz := date_trunc('month', p_month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
      v_to timestamptz := (date_trunc('month', p_month AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
      v_name text := 'affiliate_clicks_y' || to_char(p_month AT TIME ZONE 'UTC', 'YYYY') || 'm' || to_char(p_month AT TIME ZONE 'UTC', 'MM');
    BEGIN
      IF to_regclass(v_name) IS NOT NULL THEN
        RETURN false;
      END IF;
      EXECUTE format('CREATE TABLE %I PARTITION OF affiliate_clicks FOR VALUES FROM (%L) TO (%L)', v_name, v_from, v_to);
      RETURN true;
    END
    $$`);
  await knex.raw('REVOKE EXECUTE ON FUNCTION mpp_create_affiliate_partition(timestamptz) FROM PUBLIC');
  await knex.raw(`GRANT EXECUTE ON FUNCTION mpp_create_affiliate_partition(timestamptz) TO ${API_PRIVILEGES}`);
  await applyRolePrivileges(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS mpp_create_affiliate_partition(timestamptz)');
  // The roles belong to the cluster (other databases may use them): only this database's objects
  // and grants are taken back.
  await knex.raw(`REASSIGN OWNED BY ${PROJECTOR_PRIVILEGES}, ${API_PRIVILEGES} TO CURRENT_USER`);
  // One role at a time: the projector's default privileges name the API's role too, and dropping
  // both in one statement trips over that shared entry.
  await knex.raw(`DROP OWNED BY ${PROJECTOR_PRIVILEGES}`);
  await knex.raw(`DROP OWNED BY ${API_PRIVILEGES}`);
  await knex.raw('GRANT CREATE ON SCHEMA public TO PUBLIC');
}

/**
 * Read models built before this migration belong to whoever ran the projector then (the owner):
 * every serving or building generation's schema, what is in it, and the public views onto it.
 */
async function handProjectionObjectsTo(knex: Knex, role: string): Promise<void> {
  const checkpoints = await knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'projection_checkpoints'`);
  if (checkpoints.rows.length === 0) return;
  const { rows: schemas } = await knex.raw<{ rows: { name: string }[] }>(
    `SELECT DISTINCT c.schema_name AS name FROM projection_checkpoints c JOIN pg_namespace n ON n.nspname = c.schema_name
      WHERE c.state <> 'replay'`,
  );
  const names = schemas.map((s) => s.name);
  if (names.length === 0) return;
  const { rows: relations } = await knex.raw<{ rows: { schema: string; name: string; kind: string }[] }>(
    `SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY(?) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
    UNION
    SELECT DISTINCT 'public', v.relname::text, 'v'
       FROM pg_class v JOIN pg_namespace vn ON vn.oid = v.relnamespace
       JOIN pg_rewrite r ON r.ev_class = v.oid
       JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
       JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
      WHERE vn.nspname = 'public' AND v.relkind = 'v' AND tn.nspname = ANY(?)`,
    [names, names],
  );
  const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
  for (const name of names) await knex.raw(`ALTER SCHEMA ${ident(name)} OWNER TO ${role}`);
  const statement: Record<string, string> = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', S: 'SEQUENCE' };
  for (const relation of relations) await knex.raw(`ALTER ${statement[relation.kind]} ${ident(relation.schema)}.${ident(relation.name)} OWNER TO ${role}`);
  await knex.raw(`GRANT USAGE ON SCHEMA ${names.map(ident).join(', ')} TO ${API_PRIVILEGES}`);
  for (const relation of relations) if (relation.kind !== 'S') await knex.raw(`GRANT SELECT ON ${ident(relation.schema)}.${ident(relation.name)} TO ${API_PRIVILEGES}`);
}
