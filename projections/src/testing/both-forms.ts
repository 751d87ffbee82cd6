import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import type { RecordedEvent } from '@mpp/event-store';
import { batchHandlerOf, bulkFormOf, contextFor, eventTypesOf, qualify, type BatchHandler, type ProjectionDefinition } from '@mpp/projection-runner';

/** Every table of a schema: its rows as `to_jsonb` text, sorted, so two schemas compare with toEqual. */
export type TableRows = Record<string, string[]>;

export interface BothForms {
  live: TableRows;
  bulk: TableRows;
  /** Positions of the events each form set aside (a handler threw): they must be the same ones. */
  rejected: { live: string[]; bulk: string[] };
}

/**
 * Applies the same events through a projection's live form (one event per batch, as the live tail
 * can) and its bulk form (cut into batches at `cuts`, then its `finish`), each into a fresh schema,
 * and returns both schemas' rows (the bulk schema loaded without its readers' indexes, as a new
 * generation is). A failing batch is applied again one event at a time, each in a
 * savepoint, and a failing event is set aside, as the runner does (apply-batch.ts), so histories
 * may hold events a handler rejects. Everything runs in one transaction that is rolled back.
 */
export async function applyBothForms(knex: Knex, projection: ProjectionDefinition, events: readonly RecordedEvent[], cuts: readonly number[]): Promise<BothForms> {
  const bulk = bulkFormOf(projection);
  if (!bulk) throw new Error(`projection ${projection.name} has no bulk form`);
  const types = eventTypesOf(projection);
  const relevant = events.filter((event) => types.has(event.type));
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  const rollback = new Error('roll back both forms');
  let result: BothForms | undefined;
  await knex
    .transaction(async (trx) => {
      const [liveSchema, bulkSchema] = [`mpp_live_${suffix}`, `mpp_bulk_${suffix}`];
      for (const schema of [liveSchema, bulkSchema]) {
        await trx.raw(`CREATE SCHEMA "${schema}"`);
        await projection.createTables(trx, schema);
      }
      const live = await applyInBatches(trx, liveSchema, batchHandlerOf(projection), relevant.map((event) => [event]));
      // As for a generation nobody reads yet: without its readers' indexes until the finish.
      await bulk.dropReaderIndexes?.(contextFor(trx, bulkSchema, 1));
      const rejectedBulk = await applyInBatches(trx, bulkSchema, bulk.applyBatch, cutInto(relevant, cuts));
      await bulk.finish?.(contextFor(trx, bulkSchema, 1));
      result = { live: await rowsOf(trx, liveSchema), bulk: await rowsOf(trx, bulkSchema), rejected: { live, bulk: rejectedBulk } };
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return result!;
}

/** Batches whose sizes are `cuts` in turn (repeated), the last one whatever is left. */
function cutInto(events: readonly RecordedEvent[], cuts: readonly number[]): RecordedEvent[][] {
  const batches: RecordedEvent[][] = [];
  for (let start = 0, i = 0; start < events.length; i++) {
    const size = Math.max(1, cuts[i % cuts.length] ?? events.length);
    batches.push(events.slice(start, start + size));
    start += size;
  }
  return batches;
}

async function applyInBatches(trx: Knex.Transaction, schema: string, apply: BatchHandler, batches: readonly RecordedEvent[][]): Promise<string[]> {
  const rejected: string[] = [];
  for (const batch of batches) {
    if (await applied(trx, schema, apply, batch)) continue;
    for (const event of batch) if (!(await applied(trx, schema, apply, [event]))) rejected.push(event.position.toString());
  }
  return rejected;
}

async function applied(trx: Knex.Transaction, schema: string, apply: BatchHandler, events: readonly RecordedEvent[]): Promise<boolean> {
  try {
    await trx.transaction((savepoint) => apply(events, contextFor(savepoint, schema, 1)));
    return true;
  } catch (error) {
    if (events.length > 1) return false;
    // Only a handler's own rejection counts; a broken connection or a bug in the test is re-thrown.
    if (!(error instanceof Error) || /connection|terminat/i.test(error.message)) throw error;
    return false;
  }
}

async function rowsOf(trx: Knex.Transaction, schema: string): Promise<TableRows> {
  const tables = await trx('information_schema.tables').where({ table_schema: schema, table_type: 'BASE TABLE' }).pluck<string[]>('table_name');
  const rows: TableRows = {};
  for (const table of tables.sort()) {
    const { rows: found } = await trx.raw<{ rows: { row: string }[] }>(`SELECT to_jsonb(t)::text AS row FROM ${qualify(schema, table)} t ORDER BY 1`);
    rows[table] = found.map(({ row }) => row);
  }
  return rows;
}

/**
 * The property every bulk form holds: for any history and any cut into batches, the bulk form leaves
 * the rows the live form leaves and sets aside the same events.
 */
export async function assertBothFormsAgree(
  knex: Knex,
  projection: ProjectionDefinition,
  histories: fc.Arbitrary<readonly RecordedEvent[]>,
  cuts: fc.Arbitrary<number[]>,
  numRuns: number,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(histories, cuts, async (events, cut) => {
      const { live, bulk, rejected } = await applyBothForms(knex, projection, events, cut);
      expect(bulk).toEqual(live);
      expect(rejected.bulk).toEqual(rejected.live);
    }),
    { numRuns },
  );
}

/** Batch sizes for the bulk form: up to four, of 1 to 15 events, repeated. */
export const BULK_CUTS = fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 4 });

/**
 * A projection's bulk-form suite: a database of its own, the property above over `runs` random
 * histories, and `cases` for what the projection adds (given the database once it exists).
 */
export function describeBulkForm(
  title: string,
  projection: ProjectionDefinition,
  histories: fc.Arbitrary<readonly RecordedEvent[]>,
  options: { cuts?: fc.Arbitrary<number[]>; runs?: number; timeoutMs?: number; cases?: (db: () => TestDatabase) => void } = {},
): void {
  describe(`${projection.name} projection: bulk form`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db.drop();
    });

    it(title, async () => {
      await assertBothFormsAgree(db.knex, projection, histories, options.cuts ?? BULK_CUTS, options.runs ?? 40);
    }, options.timeoutMs ?? 120_000);

    options.cases?.(() => db);
  });
}
