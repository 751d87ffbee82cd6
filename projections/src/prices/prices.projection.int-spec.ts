import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { priceObservationEventId } from '@mpp/domain';
import { eventMetadata } from '@mpp/event-store';
import { waitForPosition } from '@mpp/projection-runner';
import { pricesProjection } from './prices.projection.js';
import { priceObserved } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

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

  /** Appends observations of one offer in one append, so the projection folds them in one batch. */
  const givenTogether = async (...observations: ReturnType<typeof priceObserved>[]) => {
    const { position } = await harness.store.appendToStream(
      observations[0]!.stream,
      observations.map(({ type, data }) => ({
        eventId: priceObservationEventId(data.partId, data.retailerId, data.observedAt),
        type,
        data,
        metadata: eventMetadata({ correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', occurredAt: data.observedAt }),
      })),
      { expectedRevision: 'any' },
    );
    expect(await waitForPosition(harness.knex, ['prices'], position, 10_000)).toBe(true);
  };
  const historyOf = (partId: string, retailerId: string) =>
    harness
      .knex('price_history')
      .where({ part_id: partId, retailer_id: retailerId })
      .orderBy('day')
      .select(harness.knex.raw(`to_char(day, 'YYYY-MM-DD') AS day`), 'min_price_cents', 'currency', harness.knex.raw(`to_char(last_observed_at AT TIME ZONE 'UTC', 'HH24:MI') AS last_observed`));

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

  it('folds observations of one offer that arrive together as it folds them one by one: newest current price, daily minimum across a currency switch', async () => {
    const [partId, retailerId] = [randomUUID(), randomUUID()];
    await givenTogether(
      priceObserved(partId, retailerId, { priceCents: 100_00, currency: 'EUR', observedAt: '2025-03-01T08:00:00.000Z' }),
      // A back-fill in a currency the retailer is about to leave: dropped, since it is not the newest.
      priceObserved(partId, retailerId, { priceCents: 30_00, currency: 'USD', observedAt: '2025-03-01T07:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 120_00, currency: 'USD', observedAt: '2025-03-01T11:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 110_00, currency: 'USD', observedAt: '2025-03-01T09:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 10_00, currency: 'EUR', observedAt: '2025-03-01T10:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 125_00, currency: 'USD', observedAt: '2025-03-02T09:00:00.000Z', inStock: false }),
    );
    expect(await historyOf(partId, retailerId)).toEqual([
      { day: '2025-03-01', min_price_cents: 110_00, currency: 'USD', last_observed: '11:00' },
      { day: '2025-03-02', min_price_cents: 125_00, currency: 'USD', last_observed: '09:00' },
    ]);
    expect(await currentPrice(partId, retailerId)).toMatchObject({ price_cents: 125_00, currency: 'USD', in_stock: false });
    expect(await bestPrice(partId)).toMatchObject({ retailer_id: retailerId, price_cents: 125_00, currency: 'USD', offer_count: 1, in_stock_offer_count: 0 });
  });

  it('folds observations that arrive together into the day already stored, not into a minimum of their own', async () => {
    const [partId, retailerId] = [randomUUID(), randomUUID()];
    await harness.given(priceObserved(partId, retailerId, { priceCents: 100_00, currency: 'EUR', observedAt: '2025-03-01T18:00:00.000Z' }));
    await givenTogether(
      priceObserved(partId, retailerId, { priceCents: 40_00, currency: 'EUR', observedAt: '2025-03-01T06:00:00.000Z' }),
      // Older than the stored 18:00 EUR price, so one at a time it is dropped and cannot reset the day.
      priceObserved(partId, retailerId, { priceCents: 50_00, currency: 'USD', observedAt: '2025-03-01T12:00:00.000Z' }),
    );
    expect(await historyOf(partId, retailerId)).toEqual([{ day: '2025-03-01', min_price_cents: 40_00, currency: 'EUR', last_observed: '18:00' }]);
    expect(await currentPrice(partId, retailerId)).toMatchObject({ price_cents: 100_00, currency: 'EUR' });
  });

  it('recomputes the best offer of every part whose prices changed', async () => {
    const [partA, partB] = [randomUUID(), randomUUID()];
    const [shop1, shop2] = [randomUUID(), randomUUID()];
    await harness.given(
      priceObserved(partA, shop1, { priceCents: 100_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      priceObserved(partB, shop1, { priceCents: 200_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      priceObserved(partA, shop2, { priceCents: 90_00, observedAt: '2025-03-01T10:00:00.000Z', inStock: false }),
      priceObserved(partB, shop2, { priceCents: 190_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      priceObserved(partA, shop1, { priceCents: 110_00, observedAt: '2025-03-01T11:00:00.000Z' }),
    );
    expect(await bestPrice(partA)).toMatchObject({ retailer_id: shop1, price_cents: 110_00, offer_count: 2, in_stock_offer_count: 1 });
    expect(await bestPrice(partB)).toMatchObject({ retailer_id: shop2, price_cents: 190_00, offer_count: 2, in_stock_offer_count: 2 });
  });
});
