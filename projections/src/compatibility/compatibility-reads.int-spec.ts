import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogProjection } from '../catalog/catalog.projection.js';
import { compatibilityProjection } from './compatibility.projection.js';
import { randomUUID } from 'node:crypto';
import { readOrphanRecords, readPairsWithStatus, readPartStatusesOnBike, readVersionedPairCompatibility } from './compatibility-reads.js';
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

    const read = await readVersionedPairCompatibility(harness.knex, pairOf(official));
    expect(read).toEqual({ bikeExists: true, found: { status: 'verified', confirmations: 0, refutations: 0, officialSource: 'retailer' }, version: expect.stringMatching(/^[1-9]\d*$/) });
    // The part's version is the position of the last event on any of its pairs: the fitment here.
    const [{ position }] = await harness.knex('events').where({ type: 'FitmentPublished' }).select('position');
    expect(read.version).toBe(String(position));
    expect(await readVersionedPairCompatibility(harness.knex, pairOf(untouched))).toEqual({ bikeExists: true, found: undefined, version: '0' });
    expect((await readVersionedPairCompatibility(harness.knex, { partId: official.data.partId, bikeId: randomUUID() })).bikeExists).toBe(false);

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
