import { describe, expect, it } from '@jest/globals';
import { NotFound, ValidationFailed } from '../errors.js';
import type { PriceObserved } from '../events/domain-event.js';
import { priceObservationEventId } from '../identity/deterministic-ids.js';
import { REVZILLA_ID, SLIP_ON_ID } from '../testing/catalog-fixtures.js';
import { errorOf, given } from '../testing/given-events.js';
import type { ObservePrice } from './price.commands.js';
import { priceDecider } from './price.decider.js';

const observe = (overrides: Partial<ObservePrice> = {}): ObservePrice => ({
  type: 'ObservePrice',
  partId: SLIP_ON_ID,
  retailerId: REVZILLA_ID,
  priceCents: 89_900,
  currency: 'USD',
  inStock: true,
  url: 'https://www.revzilla.com/motorcycle/akrapovic-slip-on-mt-07',
  observedAt: '2025-06-01T10:15:00Z',
  source: 'feed:revzilla',
  now: '2025-06-01T10:16:00Z',
  partExists: true,
  retailerExists: true,
  ...overrides,
});

const observedAt10: PriceObserved = {
  type: 'PriceObserved',
  eventId: priceObservationEventId(SLIP_ON_ID, REVZILLA_ID, '2025-06-01T10:15:00.000Z'),
  data: {
    partId: SLIP_ON_ID,
    retailerId: REVZILLA_ID,
    priceCents: 89_900,
    currency: 'USD',
    inStock: true,
    url: 'https://www.revzilla.com/motorcycle/akrapovic-slip-on-mt-07',
    observedAt: '2025-06-01T10:15:00.000Z',
    source: 'feed:revzilla',
  },
};

describe('price decider', () => {
  it('records an observation with an event id derived from part, retailer and hour', () => {
    expect(given(priceDecider).when(observe())).toEqual([observedAt10]);
  });

  it('gives two observations in the same hour the same event id, so the store keeps one', () => {
    const [first] = given(priceDecider).when(observe({ observedAt: '2025-06-01T10:00:00Z' }));
    const [second] = given(priceDecider).when(observe({ observedAt: '2025-06-01T10:59:59.999Z', priceCents: 79_900, now: '2025-06-01T11:00:00Z' }));
    expect(first?.eventId).toBe(second?.eventId);
  });

  it('appends nothing for the hour already observed, even at a different price', () => {
    expect(given(priceDecider, observedAt10).when(observe({ observedAt: '2025-06-01T10:45:00Z', priceCents: 79_900, now: '2025-06-01T10:46:00Z' }))).toEqual([]);
  });

  it('records the next hour', () => {
    expect(given(priceDecider, observedAt10).when(observe({ observedAt: '2025-06-01T11:00:00Z', now: '2025-06-01T11:01:00Z' }))).toHaveLength(1);
  });

  it('records a back-filled observation of an earlier hour', () => {
    expect(given(priceDecider, observedAt10).when(observe({ observedAt: '2025-05-30T08:00:00Z' }))).toHaveLength(1);
  });

  it('appends nothing for an earlier hour already in the stream, so a re-run back-fill adds nothing', () => {
    const [at11] = given(priceDecider).when(observe({ observedAt: '2025-06-01T11:05:00Z', now: '2025-06-01T12:00:00Z' }));
    expect(given(priceDecider, observedAt10, at11!).when(observe({ observedAt: '2025-06-01T10:40:00Z', priceCents: 79_900, now: '2025-06-01T12:00:00Z' }))).toEqual([]);
  });

  it('records one event per hour when a back-fill over a day runs twice, in either order', () => {
    const hours = Array.from({ length: 24 }, (_, h) => `2025-06-01T${String(h).padStart(2, '0')}:30:00Z`);
    const stream: PriceObserved[] = [];
    const run = (order: string[], priceCents: number) => {
      for (const observedAt of order) {
        const state = given(priceDecider, ...stream).state;
        stream.push(...priceDecider.decide(observe({ observedAt, priceCents, now: '2025-06-02T00:00:00Z' }), state));
      }
    };
    run(hours, 89_900);
    run([...hours].reverse(), 79_900);
    expect(stream).toHaveLength(24);
    expect(new Set(stream.map((e) => e.eventId)).size).toBe(24);
    expect(stream.every((e) => e.data.priceCents === 89_900)).toBe(true);
  });

  it('stores the instant in UTC and honours its offset for the hour', () => {
    const [event] = given(priceDecider).when(observe({ observedAt: '2025-06-01T12:15:00+02:00' }));
    expect(event).toEqual(observedAt10);
  });

  it.each([
    ['priceCents', { priceCents: 0 }],
    ['priceCents', { priceCents: 12.5 }],
    ['currency', { currency: 'usd' }],
    ['currency', { currency: 'EURO' }],
    ['url', { url: 'ftp://www.revzilla.com/x' }],
    ['observedAt', { observedAt: 'yesterday' }],
  ] as const)('rejects an invalid %s', (field, overrides) => {
    expect((errorOf(() => given(priceDecider).when(observe(overrides))) as ValidationFailed).field).toBe(field);
  });

  it('rejects an observation from the future beyond five minutes of clock skew', () => {
    expect(given(priceDecider).when(observe({ observedAt: '2025-06-01T10:21:00Z' }))).toHaveLength(1);
    expect((errorOf(() => given(priceDecider).when(observe({ observedAt: '2025-06-01T10:21:01Z' }))) as ValidationFailed).field).toBe('observedAt');
  });

  it('refuses a price for an unknown part or retailer', () => {
    expect(errorOf(() => given(priceDecider).when(observe({ partExists: false })))).toEqual(new NotFound('part', SLIP_ON_ID));
    expect(errorOf(() => given(priceDecider).when(observe({ retailerExists: false })))).toEqual(new NotFound('retailer', REVZILLA_ID));
  });
});
