import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { replayIntoSchema, schemaChecksums, type ProjectionDefinition } from '@mpp/projection-runner';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { generateIntoStore, planForEvents } from '@mpp/generator';

/**
 * A small catalog under heavy activity, so one batch holds several events of the same pair, part,
 * price and verification (supersessions, retractions, moderation, withdrawals, revisions, prices
 * observed twice for one retailer).
 */
const PLAN = planForEvents(5_000, { bikes: 40, parts: 120, fitmentPairs: 900, verificationEvents: 1_600, buildEvents: 300, partRevisions: 120 });

/**
 * Every projection must leave the same rows whichever way the log is cut into batches: the runner
 * cuts wherever the catch-up pages, the live tail and restarts happen to, and set-based projections
 * fold a whole batch at once. Batch size 1 is the reference (each event on its own); an odd size
 * puts boundaries in the middle of every kind of run, and a large one folds hundreds of events.
 */
describe('batch boundaries do not show in any read model', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    await generateIntoStore({ connectionString: db.url, plan: PLAN, seed: 'batch-boundaries' });
    store = createPostgresEventStore({ connectionString: db.url });
  }, 60_000);
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  /** `bulk`: catch up in bulk mode where the projection has one (every batch, then the finish), else never. */
  async function buildWithBatchesOf(projection: ProjectionDefinition, batchSize: number, bulk: boolean): Promise<Record<string, { rows: number; md5: string }>> {
    const schema = `scratch_${projection.name.replaceAll('-', '_')}_b${batchSize}${bulk ? '_bulk' : ''}`;
    const bulkFromLag = bulk ? 0 : Infinity;
    const { outcome } = await replayIntoSchema({ knex: db.knex, store, projection, schema, batchSize, bulkFromLag, signal: new AbortController().signal });
    expect(outcome).toBe('caught_up');
    return schemaChecksums(db.knex, schema);
  }

  it.each(ALL_PROJECTIONS.map((projection) => [projection.name, projection] as const))(
    '%s: batches of 1, 97 and 1,000 events, live or in bulk mode, build identical tables',
    async (_name, projection) => {
      const [one, odd, large, oddBulk, largeBulk] = await Promise.all([
        buildWithBatchesOf(projection, 1, false),
        buildWithBatchesOf(projection, 97, false),
        buildWithBatchesOf(projection, 1_000, false),
        buildWithBatchesOf(projection, 97, true),
        buildWithBatchesOf(projection, 1_000, true),
      ]);
      expect(Object.values(one).some((table) => table.rows > 0)).toBe(true);
      expect(odd).toEqual(one);
      expect(large).toEqual(one);
      expect(oddBulk).toEqual(one);
      expect(largeBulk).toEqual(one);
    },
    // bike-listings' five builds (one of them a batch per event) took 6 min at load 13-16 on the 2 cores.
    600_000,
  );
});
