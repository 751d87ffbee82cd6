import type { Knex } from 'knex';

/**
 * The plan PostgreSQL picks for a statement with sequential scans off: on the near-empty tables of
 * a test the planner would rightly prefer them, and what an index test checks is that a fitting
 * index exists and is the one chosen among indexes.
 */
export async function planOf(knex: Knex, sql: string, bindings: unknown[]): Promise<string> {
  return knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL enable_seqscan = off');
    const result = await trx.raw<{ rows: { 'QUERY PLAN': string }[] }>(`EXPLAIN ${sql}`, bindings as Knex.RawBinding[]);
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}
