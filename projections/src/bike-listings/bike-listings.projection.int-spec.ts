import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { bikeListingsProjection } from './bike-listings.projection.js';
import { readBikeCascade, readBikePartsPage, readPartPage } from './bike-listing-reads.js';
import { VERSIONS } from './bike-listings.tables.js';
import { readKeysChangedAfter } from '../shared/key-versions.js';
import { bikeRegistered, fitmentPublished, partCataloged, partDetailsRevised, priceObserved, retailerRegistered, verificationSubmitted, type Pair } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('bike-listings projection', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([bikeListingsProjection]);
  });
  afterEach(async () => {
    expect(await harness.deadLetters()).toEqual([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  const page = (bikeId: string, filter: Partial<Parameters<typeof readBikePartsPage>[2]> = {}) =>
    readBikePartsPage(harness.knex, { column: 'id', value: bikeId }, { currency: 'USD', limit: 24, offset: 0, ...filter });
  // What the API's change follower reads (projection-changes.ts): every key changed after position 0.
  const versions = async () => new Map((await readKeysChangedAfter(harness.knex, VERSIONS, 0n, 10_000)).map((row) => [row.key, row.position]));

  it('lists a part on a bike with its evidence, best offer, facets and the bike, in one read', async () => {
    const bike = bikeRegistered();
    const exhaust = partCataloged({ brand: 'Akrapovic', category: 'exhaust' });
    const pads = partCataloged({ brand: 'EBC', category: 'brake-pads' });
    const shop = retailerRegistered();
    const pair: Pair = { partId: exhaust.data.partId, bikeId: bike.data.bikeId };
    await harness.given(
      bike,
      exhaust,
      pads,
      shop,
      fitmentPublished(pair),
      verificationSubmitted({ partId: pads.data.partId, bikeId: bike.data.bikeId }, { userId: 'rider-1', fits: true }),
      priceObserved(exhaust.data.partId, shop.data.retailerId, { priceCents: 49_900, observedAt: '2025-03-01T10:00:00.000Z' }),
    );
    const answer = await page(bike.data.bikeId);
    expect(answer?.bike).toMatchObject({ id: bike.data.bikeId, year: bike.data.year, make: bike.data.make });
    expect(answer?.total).toBe(2);
    expect(answer?.items.map((item) => [item.part_id, item.status, item.confirmations, item.price_cents, item.retailer_name])).toEqual([
      [exhaust.data.partId, 'verified', 0, 49_900, shop.data.name],
      [pads.data.partId, 'community', 1, null, null],
    ]);
    expect(answer?.facets.category).toEqual([
      { value: 'brake-pads', count: 1 },
      { value: 'exhaust', count: 1 },
    ]);
    // Filtered: counted from the rows, each facet without its own filter.
    const filtered = await page(bike.data.bikeId, { category: 'exhaust', sort: 'price_desc' });
    expect(filtered?.items.map((item) => item.part_id)).toEqual([exhaust.data.partId]);
    expect(filtered?.total).toBe(1);
    expect(filtered?.facets.category).toEqual(answer?.facets.category);
    expect(filtered?.facets.status).toEqual([{ value: 'verified', count: 1 }]);
  });

  it('recounts a bike\'s facets when a status changes, and not when only a price does', async () => {
    const bike = bikeRegistered();
    const part = partCataloged({ category: 'levers' });
    const shop = retailerRegistered();
    const pair: Pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
    await harness.given(bike, part, shop, verificationSubmitted(pair, { userId: 'rider-1', fits: true }));
    expect((await page(bike.data.bikeId))?.facets.status).toEqual([{ value: 'community', count: 1 }]);
    await harness.given(verificationSubmitted(pair, { userId: 'rider-2', fits: false }));
    expect((await page(bike.data.bikeId))?.facets.status).toEqual([{ value: 'disputed', count: 1 }]);
    await harness.given(priceObserved(part.data.partId, shop.data.retailerId, { priceCents: 2_000, observedAt: '2025-03-01T10:00:00.000Z' }));
    const priced = await page(bike.data.bikeId);
    expect(priced?.items[0]).toMatchObject({ price_cents: 2_000, status: 'disputed' });
    expect(priced?.facets.status).toEqual([{ value: 'disputed', count: 1 }]);
  });

  it('moves exactly the keys an event touches, to that event\'s position', async () => {
    const bikeA = bikeRegistered();
    const bikeB = bikeRegistered();
    const part = partCataloged();
    const other = partCataloged();
    const shop = retailerRegistered();
    await harness.given(
      bikeA,
      bikeB,
      part,
      other,
      shop,
      fitmentPublished({ partId: part.data.partId, bikeId: bikeA.data.bikeId }),
      fitmentPublished({ partId: other.data.partId, bikeId: bikeB.data.bikeId }),
    );
    const before = await versions();
    const position = await harness.given(priceObserved(part.data.partId, shop.data.retailerId, { priceCents: 1_000, observedAt: '2025-03-01T10:00:00.000Z' }));
    const after = await versions();
    const moved = [...after].filter(([key, at]) => before.get(key) !== at).map(([key]) => key).sort();
    expect(moved).toEqual([`bike:${bikeA.data.bikeId}`, `part:${part.data.partId}`].sort());
    expect(after.get(`bike:${bikeA.data.bikeId}`)).toBe(position.toString());

    // An older observation changes no row, yet touches the same keys: versions follow the log, not
    // the batches, so a rebuild writes the same ones (one extra eviction, never a stale answer).
    const older = await harness.given(priceObserved(part.data.partId, shop.data.retailerId, { priceCents: 900, observedAt: '2025-02-01T10:00:00.000Z' }));
    const afterOlder = await versions();
    expect(afterOlder.get(`part:${part.data.partId}`)).toBe(older.toString());
    expect(afterOlder.get(`bike:${bikeB.data.bikeId}`)).toBe(after.get(`bike:${bikeB.data.bikeId}`));
    expect((await page(bikeA.data.bikeId))?.items[0]).toMatchObject({ price_cents: 1_000 });
  });

  it('renames a part in every listing and its page, and keeps the slug', async () => {
    const bike = bikeRegistered();
    const part = partCataloged({ name: 'Old Name' });
    await harness.given(bike, part, fitmentPublished({ partId: part.data.partId, bikeId: bike.data.bikeId }));
    const slug = (await readPartPage(harness.knex, { column: 'id', value: part.data.partId }))!.page.slug;
    await harness.given(partDetailsRevised(part.data.partId, { name: 'New Name' }));
    expect((await page(bike.data.bikeId))?.items[0]).toMatchObject({ part_name: 'New Name', part_slug: slug });
    const detail = await readPartPage(harness.knex, { column: 'slug', value: slug });
    expect(detail?.page).toMatchObject({ name: 'New Name', fitment: [{ bike: { id: bike.data.bikeId }, status: 'verified' }] });
  });

  it('answers the cascade from the registered bikes and versions it only when a bike is registered', async () => {
    const bike = bikeRegistered({ year: 1999, make: 'Ducati', model: 'Monster' });
    await harness.given(bike);
    const cascade = await readBikeCascade(harness.knex, { year: 1999, make: 'ducati' });
    expect(cascade).toMatchObject({ makes: ['Ducati'], models: ['Monster'] });
    expect(cascade.years).toContain(1999);
    await harness.given(partCataloged());
    expect((await readBikeCascade(harness.knex, {})).version).toBe(cascade.version);
  });

  it('sorts and filters by the best price in the rider\'s currency alone, parts without an offer in it last', async () => {
    const bike = bikeRegistered();
    const usShop = retailerRegistered();
    const ukShop = retailerRegistered();
    const [cheapInPounds, cheapInDollars, dearInDollars] = [partCataloged(), partCataloged(), partCataloged()];
    const at = '2025-03-01T10:00:00.000Z';
    await harness.given(
      bike, usShop, ukShop, cheapInPounds, cheapInDollars, dearInDollars,
      ...[cheapInPounds, cheapInDollars, dearInDollars].map((part) => fitmentPublished({ partId: part.data.partId, bikeId: bike.data.bikeId })),
      priceObserved(cheapInPounds.data.partId, ukShop.data.retailerId, { priceCents: 100, currency: 'GBP', observedAt: at }),
      priceObserved(cheapInDollars.data.partId, usShop.data.retailerId, { priceCents: 5_000, currency: 'USD', observedAt: at }),
      priceObserved(cheapInDollars.data.partId, ukShop.data.retailerId, { priceCents: 9_000, currency: 'GBP', observedAt: at }),
      priceObserved(dearInDollars.data.partId, usShop.data.retailerId, { priceCents: 7_000, currency: 'USD', observedAt: at }),
    );
    const ids = async (filter: Partial<Parameters<typeof readBikePartsPage>[2]>) => (await page(bike.data.bikeId, filter))?.items.map((item) => item.part_id);
    expect(await ids({ currency: 'USD', sort: 'price_asc' })).toEqual([cheapInDollars.data.partId, dearInDollars.data.partId, cheapInPounds.data.partId]);
    expect(await ids({ currency: 'GBP', sort: 'price_asc' })).toEqual([cheapInPounds.data.partId, cheapInDollars.data.partId, dearInDollars.data.partId]);
    expect(await ids({ currency: 'GBP', sort: 'price_desc' })).toEqual([cheapInDollars.data.partId, cheapInPounds.data.partId, dearInDollars.data.partId]);
    // 100 is a price only in pounds: a dollar filter never matches it.
    expect(await ids({ currency: 'USD', maxPrice: 6_000 })).toEqual([cheapInDollars.data.partId]);
    expect(await ids({ currency: 'GBP', maxPrice: 6_000 })).toEqual([cheapInPounds.data.partId]);
    const listed = (await page(bike.data.bikeId, { sort: 'price_asc' }))!.items.find((item) => item.part_id === cheapInDollars.data.partId)!;
    expect(listed.best_offers).toEqual([
      expect.objectContaining({ currency: 'GBP', priceCents: 9_000, retailerId: ukShop.data.retailerId, retailerName: ukShop.data.name, inStock: true }),
      expect.objectContaining({ currency: 'USD', priceCents: 5_000, retailerId: usShop.data.retailerId, retailerName: usShop.data.name, url: expect.any(String), observedAt: expect.any(String) }),
    ]);
  });

  it('answers nothing for an unknown bike or part', async () => {
    expect(await page('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await readPartPage(harness.knex, { column: 'slug', value: 'no-such-part' })).toBeUndefined();
  });
});
