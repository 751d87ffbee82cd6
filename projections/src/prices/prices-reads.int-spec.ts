import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogProjection } from '../catalog/catalog.projection.js';
import { pricesProjection } from './prices.projection.js';
import { readCurrentOffers, readPriceHistory, readRetailerOffer } from './prices-reads.js';
import { partCataloged, priceObserved, retailerRegistered } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('prices reads', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([catalogProjection, pricesProjection]);
  });
  afterAll(async () => {
    await harness.close();
  });

  it("reads the parts' current offers with retailer names, in stock first and then cheapest", async () => {
    const [part, other] = [partCataloged(), partCataloged()];
    const [cheap, dear, outOfStock] = [retailerRegistered({ name: 'B Cheap' }), retailerRegistered({ name: 'A Dear' }), retailerRegistered({ name: 'C Empty' })];
    const partId = part.data.partId;
    await harness.given(
      part,
      other,
      cheap,
      dear,
      outOfStock,
      priceObserved(partId, dear.data.retailerId, { priceCents: 12_000, observedAt: '2026-11-01T10:00:00.000Z' }),
      priceObserved(partId, cheap.data.retailerId, { priceCents: 9_000, observedAt: '2026-11-01T10:00:00.000Z' }),
      priceObserved(partId, outOfStock.data.retailerId, { priceCents: 5_000, observedAt: '2026-11-01T10:00:00.000Z', inStock: false }),
      priceObserved(other.data.partId, cheap.data.retailerId, { priceCents: 100, observedAt: '2026-11-01T10:00:00.000Z' }),
    );

    const offers = await readCurrentOffers(harness.knex, [partId]);
    expect(offers.map((offer) => [offer.retailer_name, Number(offer.price_cents), offer.in_stock])).toEqual([
      ['B Cheap', 9_000, true],
      ['A Dear', 12_000, true],
      ['C Empty', 5_000, false],
    ]);
    expect(new Set((await readCurrentOffers(harness.knex, [partId, other.data.partId])).map((offer) => offer.part_id))).toEqual(new Set([partId, other.data.partId]));
    expect(await readCurrentOffers(harness.knex, [])).toEqual([]);

    expect(await readRetailerOffer(harness.knex, { partId, retailerId: cheap.data.retailerId })).toEqual({ url: `https://shop.example/p/${partId}`, base_url: 'https://shop.example/' });
    expect(await readRetailerOffer(harness.knex, { partId: other.data.partId, retailerId: dear.data.retailerId })).toBeUndefined();
  });

  it("reads a part's daily minimums from a day on, optionally at one retailer, oldest first", async () => {
    const part = partCataloged();
    const [shop, other] = [retailerRegistered(), retailerRegistered()];
    const partId = part.data.partId;
    await harness.given(
      part,
      shop,
      other,
      priceObserved(partId, shop.data.retailerId, { priceCents: 10_000, observedAt: '2026-10-30T08:00:00.000Z' }),
      priceObserved(partId, shop.data.retailerId, { priceCents: 9_500, observedAt: '2026-10-31T08:00:00.000Z' }),
      priceObserved(partId, shop.data.retailerId, { priceCents: 9_900, observedAt: '2026-10-31T18:00:00.000Z' }),
      priceObserved(partId, other.data.retailerId, { priceCents: 9_700, observedAt: '2026-10-31T09:00:00.000Z' }),
    );

    const minimumAt = new Map([
      [shop.data.retailerId, 9_500],
      [other.data.retailerId, 9_700],
    ]);
    const sinceOctober31 = await readPriceHistory(harness.knex, { partId, since: '2026-10-31' });
    expect(sinceOctober31.map((row) => [row.retailer_id, row.day, row.min_price_cents])).toEqual(
      [...minimumAt.keys()].sort().map((retailerId) => [retailerId, '2026-10-31', minimumAt.get(retailerId)]),
    );
    expect(await readPriceHistory(harness.knex, { partId, since: '2026-10-01', retailerId: shop.data.retailerId })).toEqual([
      { retailer_id: shop.data.retailerId, day: '2026-10-30', min_price_cents: 10_000, currency: 'EUR' },
      { retailer_id: shop.data.retailerId, day: '2026-10-31', min_price_cents: 9_500, currency: 'EUR' },
    ]);
  });
});
