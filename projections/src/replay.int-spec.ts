import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { qualify, replayIntoSchema, type ProjectionDefinition, type Until } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, compatibilityProjection } from './index.js';
import {
  at,
  bikeRegistered,
  buildCreated,
  buildDeleted,
  buildUpdated,
  fitmentPublished,
  fitmentWithdrawn,
  partCataloged,
  partDetailsRevised,
  priceObserved,
  retailerRegistered,
  verificationModerated,
  verificationRetracted,
  verificationSubmitted,
} from './testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from './testing/projection-harness.js';

/**
 * Handlers must be deterministic: the live tail (many small batches) and a rebuild from position 0
 * (few large batches) must write the same rows, or a blue/green switch would change what users see.
 */
describe('replaying the log', () => {
  let harness: ProjectionHarness;
  const bike = bikeRegistered({ make: 'Triumph', model: `Tiger 900 ${randomUUID().slice(0, 4)}` });
  const exhaust = partCataloged({ brand: 'Arrow', name: 'Pro-Race', category: 'exhaust' });
  const namesake = partCataloged({ brand: 'Arrow', name: 'Pro-Race', category: 'exhaust' });
  const retailer = retailerRegistered();
  const pair = { partId: exhaust.data.partId, bikeId: bike.data.bikeId };
  const confirmation = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
  const refutation = verificationSubmitted(pair, { userId: 'rider-2', fits: false });
  const build = buildCreated({ ownerId: 'rider-1', bikeId: bike.data.bikeId });
  let beforeWithdrawal: bigint;

  beforeAll(async () => {
    harness = await startProjectionHarness(ALL_PROJECTIONS);
    beforeWithdrawal = await harness.given(
      bike,
      exhaust,
      namesake,
      retailer,
      at('2025-03-01T10:00:00.000Z', fitmentPublished(pair)),
      at('2025-03-02T10:00:00.000Z', confirmation),
      at('2025-03-03T10:00:00.000Z', refutation),
      priceObserved(exhaust.data.partId, retailer.data.retailerId, { priceCents: 899_00, observedAt: '2025-03-02T10:00:00.000Z' }),
      priceObserved(exhaust.data.partId, retailer.data.retailerId, { priceCents: 849_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      build,
      buildUpdated(build, { revision: 2, changes: ['parts'], parts: [{ partId: exhaust.data.partId, quantity: 1 }] }),
    );
    await harness.given(
      at('2025-03-04T10:00:00.000Z', fitmentWithdrawn(pair)),
      verificationModerated(pair, refutation.data.verificationId, 'hidden'),
      verificationRetracted(pair, confirmation.data.verificationId, 'rider-1'),
      partDetailsRevised(exhaust.data.partId, { name: 'Pro-Race Titanium' }),
      buildDeleted(build.data.buildId),
    );
  });
  afterAll(async () => {
    await harness.close();
  });

  it.each(ALL_PROJECTIONS.map((projection) => [projection.name, projection] as const))(
    'a rebuild of %s from position 0 writes the rows the live projection wrote',
    async (_name, projection) => {
      const schema = await replayIntoScratchSchema(harness, projection);
      let compared = 0;
      for (const table of projection.tables) {
        const live = await rowsOf(harness.knex, table);
        expect({ table, rows: await rowsOf(harness.knex, qualify(schema, table)) }).toEqual({ table, rows: live });
        compared += live.length;
      }
      expect(compared).toBeGreaterThan(0);
    },
  );

  it('answers "as of" a position by replaying only up to it', async () => {
    const schema = await replayIntoScratchSchema(harness, compatibilityProjection, { position: beforeWithdrawal });
    const asOf = await harness.knex.withSchema(schema).table('compatibility_records').where({ part_id: pair.partId }).first();
    const now = await harness.knex('compatibility_records').where({ part_id: pair.partId }).first();
    expect(asOf).toMatchObject({ status: 'verified', confirmations: 1, refutations: 1 });
    expect(now).toMatchObject({ status: 'no_data', confirmations: 0, refutations: 0 });
  });
});

/** What the analysts' replay does: a generation in state `replay`, built by the one worker, stopped when caught up or at `until`. */
async function replayIntoScratchSchema(harness: ProjectionHarness, projection: ProjectionDefinition, until?: Until): Promise<string> {
  const schema = `scratch_${projection.name.replaceAll('-', '_')}_${randomUUID().slice(0, 8)}`;
  await replayIntoSchema({ knex: harness.knex, store: harness.store, projection, schema, ...(until ? { until } : {}), signal: new AbortController().signal });
  return schema;
}

async function rowsOf(knex: Knex, table: string): Promise<unknown[]> {
  const result = await knex.raw<{ rows: { row: unknown }[] }>(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY to_jsonb(t)::text`);
  return result.rows.map((r) => r.row);
}
