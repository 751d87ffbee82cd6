import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { USER_ERASED, userErasureStream } from '@mpp/domain';
import { eventsToAppend } from '@mpp/event-store';
import { catalogProjection } from './catalog/catalog.projection.js';
import { compatibilityProjection } from './compatibility/compatibility.projection.js';
import { COMPATIBILITY_VERSIONS } from './compatibility/compatibility.tables.js';
import { partCompatibilityKey } from './compatibility/compatibility-versions.js';
import { pricesProjection } from './prices/prices.projection.js';
import { PRICE_VERSIONS } from './prices/prices.tables.js';
import { partPricesKey } from './prices/prices-versions.js';
import { readKeyVersion } from './shared/key-versions.js';
import { DEFAULT_OCCURRED_AT, bikeRegistered, partCataloged, priceObserved, retailerRegistered, verificationSubmitted, type Pair } from './testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from './testing/projection-harness.js';
import { verificationLogProjection } from './verification-log/verification-log.projection.js';
import { VERIFICATION_LOG_VERSIONS } from './verification-log/verification-log.tables.js';
import { partVerificationsKey } from './verification-log/verification-log-versions.js';

/** Given events / then each part's versions: the position of the last event that changed what the API answers for it. */
describe('per-part versions of the verification log, compatibility and prices', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([catalogProjection, verificationLogProjection, compatibilityProjection, pricesProjection]);
  });
  afterAll(async () => {
    await harness.close();
  });

  const versions = async (partId: string) => ({
    trail: await readKeyVersion(harness.knex, VERIFICATION_LOG_VERSIONS, partVerificationsKey(partId)),
    compatibility: await readKeyVersion(harness.knex, COMPATIBILITY_VERSIONS, partCompatibilityKey(partId)),
    prices: await readKeyVersion(harness.knex, PRICE_VERSIONS, partPricesKey(partId)),
  });

  it('moves a part’s trail and compatibility with its evidence, and the trail again when a rider of it is erased', async () => {
    const bike = bikeRegistered();
    const [erasedRidersPart, otherPart] = [partCataloged(), partCataloged()];
    const pairOf = (part: typeof otherPart): Pair => ({ partId: part.data.partId, bikeId: bike.data.bikeId });
    const [rider, otherRider] = [`rider-${crypto.randomUUID()}`, `rider-${crypto.randomUUID()}`];
    await harness.given(bike, erasedRidersPart, otherPart);
    expect(await versions(otherPart.data.partId)).toEqual({ trail: '0', compatibility: '0', prices: '0' });

    const first = await harness.given(verificationSubmitted(pairOf(erasedRidersPart), { userId: rider, fits: true }));
    const second = await harness.given(verificationSubmitted(pairOf(otherPart), { userId: otherRider, fits: false }));
    expect(await versions(erasedRidersPart.data.partId)).toEqual({ trail: String(first), compatibility: String(first), prices: '0' });
    expect(await versions(otherPart.data.partId)).toEqual({ trail: String(second), compatibility: String(second), prices: '0' });

    // The harness's builders know the v1 events only; the erasure is appended as the API does, and
    // a later event given waits until the projections passed it.
    const stream = userErasureStream(rider);
    const envelope = { actor: rider, correlationId: crypto.randomUUID(), causationId: crypto.randomUUID(), occurredAt: DEFAULT_OCCURRED_AT };
    const erased = eventsToAppend(stream, [{ type: USER_ERASED, data: { userId: rider } }], { lastHash: undefined, nextRevision: 0n }, envelope);
    const erasure = (await harness.store.appendToStream(stream, erased, { expectedRevision: 'any' })).position;
    await harness.given(bikeRegistered());
    // The erasure cleared the rider's notes from the first part's trail; compatibility shows no notes.
    expect(await versions(erasedRidersPart.data.partId)).toEqual({ trail: String(erasure), compatibility: String(first), prices: '0' });
    expect(await versions(otherPart.data.partId)).toEqual({ trail: String(second), compatibility: String(second), prices: '0' });
  });

  it('moves a part’s prices when its current price changes, not for an older observation that only feeds the history', async () => {
    const part = partCataloged();
    const retailer = retailerRegistered();
    await harness.given(part, retailer);
    const newest = await harness.given(priceObserved(part.data.partId, retailer.data.retailerId, { priceCents: 10_000, observedAt: '2025-03-02T10:00:00.000Z' }));
    expect((await versions(part.data.partId)).prices).toBe(String(newest));
    await harness.given(priceObserved(part.data.partId, retailer.data.retailerId, { priceCents: 9_000, observedAt: '2025-03-01T10:00:00.000Z' }));
    expect((await versions(part.data.partId)).prices).toBe(String(newest));
    const newer = await harness.given(priceObserved(part.data.partId, retailer.data.retailerId, { priceCents: 9_500, observedAt: '2025-03-03T10:00:00.000Z' }));
    expect((await versions(part.data.partId)).prices).toBe(String(newer));
  });
});
