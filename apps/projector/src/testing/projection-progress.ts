import type { Knex } from 'knex';

export interface GenerationRow {
  projection: string;
  generation: number;
  state: string;
  schema_name: string;
  position: string;
  error: string | null;
}

export async function generations(knex: Knex): Promise<GenerationRow[]> {
  return knex('projection_checkpoints').select('projection', 'generation', 'state', 'schema_name', 'position', 'error').orderBy(['projection', 'generation']);
}

/** Newest position in the log (the generator is done writing, so every event is visible). */
export async function headPosition(knex: Knex): Promise<bigint> {
  const { rows } = await knex.raw<{ rows: { head: string }[] }>('SELECT coalesce(max(position), 0)::text AS head FROM events');
  return BigInt(rows[0]!.head);
}

/**
 * The least advanced of the generations that are still to reach the head: the building ones when a
 * rebuild is under way, else the serving ones. 0 when a projection has no generation yet.
 */
export async function slowestPosition(knex: Knex, projections: readonly string[]): Promise<bigint> {
  const rows = await generations(knex);
  let slowest: bigint | undefined;
  for (const name of projections) {
    const own = rows.filter((r) => r.projection === name);
    const building = own.filter((r) => r.state === 'building');
    const tracked = building.length > 0 ? building : own.filter((r) => r.state === 'active');
    const position = tracked.length === 0 ? 0n : tracked.map((r) => BigInt(r.position)).reduce((a, b) => (a < b ? a : b));
    slowest = slowest === undefined || position < slowest ? position : slowest;
  }
  return slowest ?? 0n;
}

/** Every projection serves one generation at the head and none is building (a rebuild has switched). */
export async function isCaughtUp(knex: Knex, projections: readonly string[], head: bigint): Promise<boolean> {
  const rows = await generations(knex);
  return projections.every((name) => {
    const own = rows.filter((r) => r.projection === name);
    const active = own.filter((r) => r.state === 'active');
    return active.length === 1 && BigInt(active[0]!.position) >= head && !own.some((r) => r.state === 'building');
  });
}

/** Polls until `condition` holds; fails with `describe()` after `timeoutMs`. */
export async function waitFor(condition: () => Promise<boolean>, options: { timeoutMs: number; describe: () => Promise<string> | string }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms: ${await options.describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
