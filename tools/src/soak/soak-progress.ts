import type { Knex } from '@mpp/db';

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
