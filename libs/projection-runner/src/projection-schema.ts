import type { Knex } from 'knex';
import type { ProjectionDefinition } from './projection.js';

/** Each generation (build) of a projection lives in its own schema, so a rebuild never touches the serving tables. */
export function generationSchema(projection: Pick<ProjectionDefinition, 'name' | 'version'>, generation: number): string {
  return `rm_${projection.name.replaceAll('-', '_')}_v${projection.version}_g${generation}`;
}

export function qualify(schema: string, table: string): string {
  return `"${schema}"."${table}"`;
}

/** Creates the schema and tables of a generation; a schema left by an interrupted attempt is reused. */
export async function ensureTables(knex: Knex, projection: ProjectionDefinition, schema: string): Promise<void> {
  await knex.transaction(async (trx) => {
    // Two starters racing on the same version must not both create tables.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`projection-schema:${schema}`]);
    const exists = await trx.raw<{ rows: unknown[] }>('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [schema]);
    if (exists.rows.length > 0) return;
    await trx.raw(`CREATE SCHEMA "${schema}"`);
    await projection.createTables(trx, schema);
  });
}

/**
 * Points the public names of the projection's tables at the given schema. Run inside the
 * transaction that also marks the version active: queries see the old tables or the new ones,
 * never a mix.
 */
export async function pointViewsAt(trx: Knex.Transaction, projection: ProjectionDefinition, schema: string): Promise<void> {
  for (const table of projection.tables) {
    await trx.raw(`DROP VIEW IF EXISTS public."${table}"`);
    await trx.raw(`CREATE VIEW public."${table}" AS SELECT * FROM ${qualify(schema, table)}`);
  }
}

export async function dropSchema(knex: Knex, schema: string): Promise<void> {
  await knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
