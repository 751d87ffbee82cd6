import type { Knex } from 'knex';
import type { ProjectionContext } from '@mpp/projection-runner';

/** Column name -> PostgreSQL type of the array it is sent in (`uuid`, `text`, `jsonb`...). */
export type UnnestColumns<R> = Readonly<Record<keyof R & string, string>>;

/**
 * Many rows in one statement, `INSERT … SELECT FROM unnest(…)`: one array parameter per column,
 * however many rows, so a bulk page costs one round trip per table. `conflict` is the statement's
 * `ON CONFLICT` clause, if any.
 */
export async function insertUnnest<R extends object>(ctx: ProjectionContext, table: string, rows: readonly R[], columns: UnnestColumns<R>, conflict = ''): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns) as (keyof R & string)[];
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(table)} (${names.map((name) => `"${name}"`).join(', ')})
     SELECT * FROM unnest(${names.map((name) => `?::${columns[name]}[]`).join(', ')}) ${conflict}`,
    names.map((name) => rows.map((row) => row[name]) as Knex.Value),
  );
}
