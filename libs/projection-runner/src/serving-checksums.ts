import type { Knex } from 'knex';

/**
 * A checksum of every table of every serving generation, keyed `projection.table`: the public
 * read models and the projections' private state tables alike (a crash that corrupted only the
 * private state would corrupt the read models later). Rows are hashed in the order of their text
 * form, so the key is independent of physical order and of which generation number built them.
 */
export async function readModelChecksums(knex: Knex): Promise<Record<string, { rows: number; md5: string }>> {
  const checksums: Record<string, { rows: number; md5: string }> = {};
  for (const [projection, schema] of await servingSchemas(knex)) {
    for (const [table, checksum] of Object.entries(await schemaChecksums(knex, schema))) checksums[`${projection}.${table}`] = checksum;
  }
  return checksums;
}

/**
 * The schema of each projection's serving generation, by projection name: where a key
 * `projection.table` of readModelChecksums lives. Comparisons go through it rather than the public
 * views, which a reactor's or a private state table has none of.
 */
export async function servingSchemas(knex: Knex): Promise<Map<string, string>> {
  const serving = await knex('projection_checkpoints').where({ state: 'active' }).orderBy('projection').select<{ projection: string; schema_name: string }[]>('projection', 'schema_name');
  return new Map(serving.map((row) => [row.projection, row.schema_name]));
}

/** A checksum of every table of one schema, keyed by table name (rows hashed in the order of their text form). */
export async function schemaChecksums(knex: Knex, schema: string): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await knex('information_schema.tables').where({ table_schema: schema, table_type: 'BASE TABLE' }).pluck<string[]>('table_name');
  const checksums: Record<string, { rows: number; md5: string }> = {};
  for (const table of tables.sort()) {
    const { rows } = await knex.raw<{ rows: { rows: string; md5: string | null }[] }>(
      `SELECT count(*)::text AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM "${schema}"."${table}" t`,
    );
    checksums[table] = { rows: Number(rows[0]!.rows), md5: rows[0]!.md5 ?? 'empty' };
  }
  return checksums;
}

/** Schemas named like generations (`rm_…`) that exist in the database. */
export async function generationSchemas(knex: Knex): Promise<string[]> {
  return knex('information_schema.schemata').where('schema_name', 'like', 'rm\\_%').orderBy('schema_name').pluck('schema_name');
}
