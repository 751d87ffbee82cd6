import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogProjection } from '../catalog/catalog.projection.js';
import { compatibilityProjection } from './compatibility.projection.js';
import { readOrphanRecords, readPairCompatibility, readPairsWithStatus, readPartStatusesOnBike } from './compatibility-reads.js';
import { bikeRegistered, fitmentPublished, partCataloged, verificationSubmitted, type Pair } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('compatibility reads', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([catalogProjection, compatibilityProjection]);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('reads a pair, the statuses of parts on a bike, and the pairs of a status', async () => {
    const bike = bikeRegistered();
    const [official, community, single, untouched] = [partCataloged(), partCataloged(), partCataloged(), partCataloged()];
    const pairOf = (part: typeof official): Pair => ({ partId: part.data.partId, bikeId: bike.data.bikeId });
    await harness.given(
      bike,
      official,
      community,
      single,
      untouched,
      fitmentPublished(pairOf(official), 'retailer'),
      verificationSubmitted(pairOf(community), { userId: 'rider-1', fits: true }),
      verificationSubmitted(pairOf(community), { userId: 'rider-2', fits: true }),
      verificationSubmitted(pairOf(single), { userId: 'rider-1', fits: true }),
    );

    expect(await readPairCompatibility(harness.knex, pairOf(official))).toEqual({ status: 'verified', confirmations: 0, refutations: 0, officialSource: 'retailer' });
    expect(await readPairCompatibility(harness.knex, pairOf(untouched))).toBeUndefined();

    const parts = [official, community, untouched].map((part) => part.data.partId);
    expect(await readPartStatusesOnBike(harness.knex, bike.data.bikeId, parts)).toEqual(
      new Map([
        [official.data.partId, 'verified'],
        [community.data.partId, 'community'],
      ]),
    );

    const singles = await readPairsWithStatus(harness.knex, { status: 'community', confirmations: 1 }, 100);
    expect(singles).toContainEqual({ part_id: single.data.partId, bike_id: bike.data.bikeId, confirmations: 1, refutations: 0 });
    expect(singles.map((row) => row.part_id)).not.toContain(community.data.partId);
  });

  it('reads the records whose part or bike the catalog does not have', async () => {
    const bike = bikeRegistered();
    const part = partCataloged();
    const ghostBike = bikeRegistered();
    await harness.given(bike, part, verificationSubmitted({ partId: part.data.partId, bikeId: ghostBike.data.bikeId }, { userId: 'rider-1', fits: true }));
    expect(await readOrphanRecords(harness.knex, 100)).toContainEqual({ part_id: part.data.partId, bike_id: ghostBike.data.bikeId, part_missing: false, bike_missing: true });
  });
});
