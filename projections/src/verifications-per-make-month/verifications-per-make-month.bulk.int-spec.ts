import fc from 'fast-check';
import { verificationsPerMakeMonthProjection } from './verifications-per-make-month.projection.js';
import { describeBulkForm } from '../testing/both-forms.js';
import { at, bikeRegistered, recordedEvents, verificationSubmitted, type GivenEvent } from '../testing/given-events.js';

/**
 * The worked example's bulk form (two statements per page) against its handlers one event at a
 * time: bikes of two makes registered (twice, or after their first verification, or never) and
 * verifications spread over month boundaries in UTC.
 */
const BIKES = [
  bikeRegistered({ make: 'Yamaha', model: 'MT-07' }),
  bikeRegistered({ make: 'Yamaha', model: 'Tracer 9' }),
  bikeRegistered({ make: 'Honda', model: 'Africa Twin' }),
];
const PART_ID = '0b7c2c1e-8d3f-4a41-9c36-2b1f0e4d5a6b';

const registered = fc.constantFrom(...BIKES).map((bike): GivenEvent => bike);
const submitted = fc
  .record({ bike: fc.nat(BIKES.length - 1), fits: fc.boolean(), day: fc.constantFrom('2025-01-31T23:30:00-01:00', '2025-01-31T22:30:00Z', '2025-02-01T00:00:00Z', '2025-03-15T12:00:00Z') })
  .map(({ bike, fits, day }): GivenEvent => at(day, verificationSubmitted({ partId: PART_ID, bikeId: BIKES[bike]!.data.bikeId }, { userId: 'rider-1', fits })));

const history = fc.array(fc.oneof({ weight: 1, arbitrary: registered }, { weight: 3, arbitrary: submitted }), { minLength: 1, maxLength: 40 });

describeBulkForm('leaves the same rows and rejects the same events as the handlers one event at a time', verificationsPerMakeMonthProjection, history.map((given) => recordedEvents(given)));
