import type { Knex } from 'knex';
import type { ProjectionContext } from '@mpp/projection-runner';

/**
 * A secondary index no bulk batch reads by: readers use it, and perhaps a live batch (compatibility's
 * records by part, bike_listings_part), but never the bulk form's statements. A generation that
 * serves nobody yet loads in bulk without it and builds it once at the end, one sort instead of an
 * index insert per row (BulkForm.dropReaderIndexes).
 */
export interface ReaderIndex {
  name: string;
  table: string;
  /** What follows `ON table`: the columns, and a `WHERE` for a partial index. */
  definition: string;
}

/** Creates the indexes that do not exist yet: from createTables, and again from a bulk `finish`. */
export async function createReaderIndexes(knex: Knex | Knex.Transaction, qualified: (name: string) => string, indexes: readonly ReaderIndex[]): Promise<void> {
  for (const index of indexes) await knex.raw(`CREATE INDEX IF NOT EXISTS ${index.name} ON ${qualified(index.table)} ${index.definition}`);
}

export async function dropReaderIndexes(ctx: ProjectionContext, indexes: readonly ReaderIndex[]): Promise<void> {
  await ctx.trx.raw(`DROP INDEX IF EXISTS ${indexes.map((index) => ctx.qualified(index.name)).join(', ')}`);
}

/** A bulk form's two hooks for these indexes. */
export function readerIndexHooks(indexes: readonly ReaderIndex[]): { drop(ctx: ProjectionContext): Promise<void>; create(ctx: ProjectionContext): Promise<void> } {
  return { drop: (ctx) => dropReaderIndexes(ctx, indexes), create: (ctx) => createReaderIndexes(ctx.trx, ctx.qualified, indexes) };
}
