import type { Knex } from '@mpp/db';

/**
 * A checksum of every table of every serving generation (public read models and private state),
 * keyed `projection.table`, independent of physical row order and of the generation number.
 */
export async function readModelChecksums(knex: Knex): Promise<Record<string, { rows: number; md5: string }>> {
  const serving: { projection: string; schema_name: string }[] = await knex('projection_checkpoints').where({ state: 'active' }).select('projection', 'schema_name');
  const checksums: Record<string, { rows: number; md5: string }> = {};
  for (const { projection, schema_name: schema } of serving) {
    const tables: string[] = await knex('information_schema.tables').where({ table_schema: schema, table_type: 'BASE TABLE' }).pluck('table_name');
    for (const table of tables.sort()) {
      const { rows } = await knex.raw<{ rows: { rows: number; md5: string | null }[] }>(
        `SELECT count(*) AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM "${schema}"."${table}" t`,
      );
      checksums[`${projection}.${table}`] = { rows: Number(rows[0]!.rows), md5: rows[0]!.md5 ?? 'empty' };
    }
  }
  return checksums;
}

/**
 * Copies the whole event log (positions and commit times included) and the user keys its sealed
 * free text opens with into another (migrated, empty) database: a clean build reads both, and
 * without the keys it would blank every note the first build showed.
 */
export async function copyEventLogWithKeys(from: Knex, to: Knex): Promise<number> {
  let after = 0;
  let copied = 0;
  for (;;) {
    const page: Record<string, unknown>[] = await from('events')
      .where('position', '>', after)
      .orderBy('position')
      .limit(2000)
      .select('position', 'stream_id', 'revision', 'event_id', 'type', 'data', 'metadata', 'created_at');
    if (page.length === 0) break;
    await to('events').insert(page.map((e) => ({ ...e, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) })));
    after = Number(page.at(-1)!.position);
    copied += page.length;
  }
  await to.raw(`SELECT setval('events_position_seq', ?)`, [Math.max(after, 1)]);
  const keys: Record<string, unknown>[] = await from('user_keys').select('user_id', 'key', 'created_at');
  for (let i = 0; i < keys.length; i += 1000) await to('user_keys').insert(keys.slice(i, i + 1000));
  return copied;
}

export async function headPosition(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: { head: number }[] }>('SELECT coalesce(max(position), 0) AS head FROM events');
  return Number(rows[0]!.head);
}

/** Every projection serves one generation at `head` or beyond and none is building. */
export async function caughtUp(knex: Knex, head: number): Promise<boolean> {
  const rows: { projection: string; state: string; position: number }[] = await knex('projection_checkpoints').select('projection', 'state', 'position');
  const names = new Set(rows.map((r) => r.projection));
  if (names.size === 0) return false;
  return [...names].every((name) => {
    const own = rows.filter((r) => r.projection === name);
    const active = own.filter((r) => r.state === 'active');
    return active.length === 1 && Number(active[0]!.position) >= head && !own.some((r) => r.state === 'building');
  });
}
