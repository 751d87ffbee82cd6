import type { Knex } from '@mpp/db';
import { sleep } from './soak-processes.js';

export async function headPosition(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: { head: number }[] }>('SELECT coalesce(max(position), 0) AS head FROM events');
  return Number(rows[0]!.head);
}

/**
 * The head once the log has stopped growing for `quietMs`. The load generator's end does not end
 * the commands it had in flight: the API goes on to append them, so a head read at once can be
 * passed by a few events that one side of a comparison then has and the other lacks.
 */
export async function settledHeadPosition(knex: Knex, quietMs = 2000, boundMs = 30_000): Promise<number> {
  const deadline = Date.now() + boundMs;
  let head = await headPosition(knex);
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() > deadline) throw new Error(`the log kept growing for ${boundMs} ms after the load ended (head ${head})`);
    await sleep(250);
    const now = await headPosition(knex);
    if (now !== head) {
      head = now;
      quietSince = Date.now();
    }
  }
  return head;
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

/**
 * Rows of one read-model table (`projection.table`, as readModelChecksums keys it) that only one of
 * two databases has, in their text form, at most `limit` per side: what a failed comparison shows
 * so the run that failed says why.
 */
export async function differingRows(a: Knex, b: Knex, key: string, limit = 3): Promise<{ onlyA: string[]; onlyB: string[] }> {
  const [projection, table] = key.split('.') as [string, string];
  const rowsOf = async (knex: Knex) => {
    const { schema_name: schema } = await knex('projection_checkpoints').where({ projection, state: 'active' }).first<{ schema_name: string }>('schema_name');
    const { rows } = await knex.raw<{ rows: { row: string }[] }>(`SELECT t::text AS row FROM "${schema}"."${table}" t`);
    return rows.map((r) => r.row);
  };
  const [rowsA, rowsB] = await Promise.all([rowsOf(a), rowsOf(b)]);
  const inB = new Set(rowsB);
  const inA = new Set(rowsA);
  return { onlyA: rowsA.filter((row) => !inB.has(row)).slice(0, limit), onlyB: rowsB.filter((row) => !inA.has(row)).slice(0, limit) };
}
