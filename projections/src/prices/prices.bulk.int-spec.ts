import fc from 'fast-check';
import { pricesProjection } from './prices.projection.js';
import { describeBulkForm } from '../testing/both-forms.js';
import { priceObserved, recordedEvents } from '../testing/given-events.js';

/**
 * The prices projection's bulk form (pages without best offers, then one derivation of every best
 * offer) against its live form one event at a time, on random observations of two parts at three
 * retailers: back-filled hours, two observations of one hour, stock changes and ties on price.
 */
const PARTS = ['0b7c2c1e-8d3f-4a41-9c36-2b1f0e4d5a6b', '1c8d3d2f-9e4a-4b52-8d47-3c2a1f5e6b7c'];
const RETAILERS = ['5d1f8a4e-6b3c-4f2a-9e8d-7c6b5a4f3e2d', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', 'a3c5e7f9-1b2d-4f60-8a9c-0e1f2a3b4c5d'];

const observed = fc
  .record({
    partId: fc.constantFrom(...PARTS),
    retailerId: fc.constantFrom(...RETAILERS),
    priceCents: fc.constantFrom(9_900, 10_500, 12_000),
    inStock: fc.boolean(),
    hour: fc.nat(60),
    minute: fc.constantFrom(0, 30),
  })
  .map(({ partId, retailerId, priceCents, inStock, hour, minute }) =>
    priceObserved(partId, retailerId, { priceCents, inStock, observedAt: new Date(Date.UTC(2025, 2, 1, hour, minute)).toISOString() }),
  );

const history = fc.array(observed, { minLength: 1, maxLength: 50 });
const cuts = fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 4 });

describeBulkForm('leaves the same rows as the live form one event at a time', pricesProjection, history.map((given) => recordedEvents(given)), { cuts, runs: 60 });
