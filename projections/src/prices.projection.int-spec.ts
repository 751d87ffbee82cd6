import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { pricesProjection } from './prices.projection.js';
import { priceObserved } from './testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from './testing/projection-harness.js';

describe('prices projection', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([pricesProjection]);
  });
  afterEach(async () => {
    expect(await harness.deadLetters()).toEqual([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  const currentPrice = (partId: string, retailerId: string) => harness.knex('part_prices').where({ part_id: partId, retailer_id: retailerId }).first();
  const bestPrice = (partId: string) => harness.knex('part_best_prices').where({ part_id: partId }).first();

  it('keeps the newest observation when an older one arrives later (a back-fill)', async () => {
    const [partId, retailerId] = [randomUUID(), randomUUID()];
    await harness.given(
      priceObserved(partId, retailerId, { priceCents: 100_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 90_00, observedAt: '2025-03-01T12:00:00.000Z', inStock: false }),
      priceObserved(partId, retailerId, { priceCents: 80_00, observedAt: '2025-03-01T11:00:00.000Z' }),
    );
    const current = await currentPrice(partId, retailerId);
    expect(current).toMatchObject({ price_cents: 90_00, currency: 'EUR', in_stock: false, source: 'feed:test' });
    expect(current.observed_at.toISOString()).toBe('2025-03-01T12:00:00.000Z');
    expect(await bestPrice(partId)).toMatchObject({ price_cents: 90_00, in_stock: false });
  });

  it('keeps the lowest price of each UTC day, back-fills included', async () => {
    const [partId, retailerId] = [randomUUID(), randomUUID()];
    await harness.given(
      priceObserved(partId, retailerId, { priceCents: 120_00, observedAt: '2025-03-01T08:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 130_00, observedAt: '2025-03-02T09:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 100_00, observedAt: '2025-03-01T20:00:00.000Z' }),
      // 23:00 UTC on 1 March, though it is already 2 March where it was observed.
      priceObserved(partId, retailerId, { priceCents: 95_00, observedAt: '2025-03-02T01:00:00+02:00' }),
    );
    const days = await harness
      .knex('price_history')
      .where({ part_id: partId, retailer_id: retailerId })
      .orderBy('day')
      .select(harness.knex.raw(`to_char(day, 'YYYY-MM-DD') AS day`), 'min_price_cents', 'currency');
    expect(days).toEqual([
      { day: '2025-03-01', min_price_cents: 95_00, currency: 'EUR' },
      { day: '2025-03-02', min_price_cents: 130_00, currency: 'EUR' },
    ]);
  });

  it('offers the cheapest in-stock price as the best price, and the cheapest of all when none is in stock', async () => {
    const partId = randomUUID();
    const [cheapButSoldOut, inStock, dearer] = [randomUUID(), randomUUID(), randomUUID()];
    await harness.given(
      priceObserved(partId, cheapButSoldOut, { priceCents: 80_00, observedAt: '2025-03-01T10:00:00.000Z', inStock: false }),
      priceObserved(partId, inStock, { priceCents: 100_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      priceObserved(partId, dearer, { priceCents: 120_00, observedAt: '2025-03-01T10:00:00.000Z' }),
    );
    expect(await bestPrice(partId)).toMatchObject({ retailer_id: inStock, price_cents: 100_00, in_stock: true, offer_count: 3, in_stock_offer_count: 2 });

    await harness.given(priceObserved(partId, inStock, { priceCents: 100_00, observedAt: '2025-03-01T11:00:00.000Z', inStock: false }));
    expect(await bestPrice(partId)).toMatchObject({ retailer_id: dearer, price_cents: 120_00, in_stock_offer_count: 1 });

    await harness.given(priceObserved(partId, dearer, { priceCents: 120_00, observedAt: '2025-03-01T11:00:00.000Z', inStock: false }));
    expect(await bestPrice(partId)).toMatchObject({ retailer_id: cheapButSoldOut, price_cents: 80_00, in_stock: false, in_stock_offer_count: 0 });
  });

  it('leaves the best price alone when a back-fill does not change the current price', async () => {
    const [partId, retailerId] = [randomUUID(), randomUUID()];
    await harness.given(
      priceObserved(partId, retailerId, { priceCents: 100_00, observedAt: '2025-03-01T12:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 50_00, observedAt: '2025-02-01T12:00:00.000Z' }),
    );
    expect(await bestPrice(partId)).toMatchObject({ price_cents: 100_00 });
  });
});
