import type { Knex } from 'knex';

/**
 * Read-your-writes: resolves true once the active generation of every named projection has passed
 * the position, false when the timeout ends first (the caller answers with stale data and says so).
 * Polls every 5 ms (one read of a few checkpoint rows, only while a request waits): at 25 ms the
 * poll alone added 12 ms on average to command-to-visible (docs/performance.md).
 */
export async function waitForPosition(knex: Knex, projections: readonly string[], position: bigint, timeoutMs: number, pollMs = 5): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const rows: { projection: string; position: string | number }[] = await knex('projection_checkpoints')
      .whereIn('projection', projections as string[])
      // A generation catching up in bulk mode owes derived rows older than its position.
      .andWhere({ state: 'active', bulk_pending: false })
      .select('projection', 'position');
    const reached = projections.every((name) => {
      const row = rows.find((r) => r.projection === name);
      return row !== undefined && BigInt(row.position) >= position;
    });
    if (reached) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
