import fc from 'fast-check';
import { bikeListingsProjection } from './bike-listings.projection.js';
import { describeBulkForm } from '../testing/both-forms.js';
import {
  bikeRegistered,
  fitmentPublished,
  fitmentWithdrawn,
  partCataloged,
  partDetailsRevised,
  priceObserved,
  recordedEvents,
  retailerRegistered,
  verificationSubmitted,
  type GivenEvent,
} from '../testing/given-events.js';

/**
 * bike-listings' bulk form (state only, then listings, pages and versions derived in the finish)
 * against its live form one event at a time, on random histories of two bikes, two parts and two
 * retailers in any order: a bike registered after its fitment, a price before its retailer, a
 * revision before its part, a fitment before both. The versions are what this adds over the
 * batch-boundaries test, whose generated logs register everything first: the finish fans each
 * touch out over the records and prices standing at the end, a live batch over those standing then.
 */
const BIKES = [bikeRegistered({ year: 2021, make: 'Yamaha', model: 'MT-07' }), bikeRegistered({ year: 2022, make: 'Honda', model: 'CB650R' })];
const PARTS = [partCataloged({ sku: 'SKU-BULK-A', name: 'Slip-On A' }), partCataloged({ sku: 'SKU-BULK-B', brand: 'Yoshimura', name: 'R-77' })];
const RETAILERS = [retailerRegistered({ name: 'Bulk Shop A' }), retailerRegistered({ name: 'Bulk Shop B' })];
const REGISTRATIONS: readonly GivenEvent[] = [...BIKES, ...PARTS, ...RETAILERS];

const partId = fc.constantFrom(...PARTS.map((event) => event.data.partId));
const pair = fc.record({ partId, bikeId: fc.constantFrom(...BIKES.map((event) => event.data.bikeId)) });
const event: fc.Arbitrary<GivenEvent> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REGISTRATIONS) },
  { weight: 1, arbitrary: partId.map((id) => partDetailsRevised(id, { name: 'Renamed' })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ partId, retailer: fc.constantFrom(...RETAILERS), cents: fc.constantFrom(9_900, 12_000), inStock: fc.boolean(), hour: fc.nat(23) })
      .map(({ partId: id, retailer, cents, inStock, hour }) =>
        priceObserved(id, retailer.data.retailerId, { priceCents: cents, inStock, observedAt: new Date(Date.UTC(2025, 2, 1, hour)).toISOString() }),
      ),
  },
  { weight: 2, arbitrary: fc.record({ pair, published: fc.boolean() }).map(({ pair: p, published }) => (published ? fitmentPublished(p) : fitmentWithdrawn(p))) },
  { weight: 2, arbitrary: fc.record({ pair, fits: fc.boolean() }).map(({ pair: p, fits }) => verificationSubmitted(p, { userId: 'rider-1', fits })) },
);

/** Each registration once, where it first falls: a second one is a different test (the catalog's). */
const history = fc.array(event, { minLength: 1, maxLength: 30 }).map((given) => recordedEvents(given.filter((e, i) => !REGISTRATIONS.includes(e) || given.indexOf(e) === i)));

describeBulkForm('leaves the same rows, versions included, as the live form one event at a time', bikeListingsProjection, history, { runs: 30 });
