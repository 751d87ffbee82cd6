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
