import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogProjection } from '../catalog/catalog.projection.js';
import { verificationLogProjection } from './verification-log.projection.js';
import {
  countVisibleVerificationsSubmitted,
  readRecentVerifications,
  readRiderVerificationsOfPart,
  readVerificationPair,
  readVersionedPartAuditTrail,
} from './verification-log-reads.js';
import { at, bikeRegistered, partCataloged, verificationModerated, verificationSubmitted, type Pair } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('verification log reads', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([catalogProjection, verificationLogProjection]);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('reads a verification\'s pair, a rider\'s verifications of a part, its audit trail, the recent ones and the visible count', async () => {
    const [bike, otherBike] = [bikeRegistered(), bikeRegistered()];
    const part = partCataloged();
    const pair: Pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
    const otherPair: Pair = { partId: part.data.partId, bikeId: otherBike.data.bikeId };
    const first = at('2025-03-03T10:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-1', fits: true }));
    const second = at('2025-03-04T10:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-1', fits: false, supersedes: first.data.verificationId }));
    const hidden = at('2025-03-05T10:00:00.000Z', verificationSubmitted(otherPair, { userId: 'rider-2', fits: true }));
    const last = await harness.given(bike, otherBike, part, first, second, hidden, verificationModerated(otherPair, hidden.data.verificationId, 'hidden'));

    expect(await readVerificationPair(harness.knex, second.data.verificationId)).toEqual(pair);
    expect(await readVerificationPair(harness.knex, '00000000-0000-4000-8000-000000000000')).toBeUndefined();

    expect(await readRiderVerificationsOfPart(harness.knex, 'rider-1', part.data.partId)).toEqual([
      { verification_id: second.data.verificationId, bike_id: bike.data.bikeId, lifecycle: 'active' },
      { verification_id: first.data.verificationId, bike_id: bike.data.bikeId, lifecycle: 'superseded' },
    ]);

    const trail = await readVersionedPartAuditTrail(harness.knex, part.data.partId);
    // Labelled with the position of the last event on the part's trail: the moderation, the last event given.
    expect(trail.version).toBe(String(last));
    expect(trail.rows.map((row) => [row.verification_id, row.state])).toEqual([
      [hidden.data.verificationId, 'hidden'],
      [second.data.verificationId, 'active'],
      [first.data.verificationId, 'superseded'],
    ]);
    expect((await readVersionedPartAuditTrail(harness.knex, part.data.partId, otherBike.data.bikeId)).rows.map((row) => row.verification_id)).toEqual([hidden.data.verificationId]);

    const recent = await readRecentVerifications(harness.knex, 50);
    expect(recent.filter((row) => row.part_id === part.data.partId).map((row) => row.verification_id)).toEqual([second.data.verificationId]);

    const count = (from: string, to: string) => countVisibleVerificationsSubmitted(harness.knex, [part.data.partId], new Date(from), new Date(to));
    expect(await count('2025-03-01T00:00:00Z', '2025-03-10T00:00:00Z')).toBe(2);
    expect(await count('2025-03-04T00:00:00Z', '2025-03-10T00:00:00Z')).toBe(1);
  });
});
