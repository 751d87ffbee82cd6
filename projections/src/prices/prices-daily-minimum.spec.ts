import { describe, expect, it } from '@jest/globals';
import { foldDailyMinimums, utcDay, withObservation, type DailyMinimum, type ObservedPrice } from './prices-daily-minimum.js';

const PART = '5b0a3c9e-6f1d-4c43-9a52-1f7e2b8d4a10';
const RETAILER = 'c2f1e7a4-0b6d-4e59-8f3a-7d2c9b1e5a64';
const OTHER_RETAILER = '0e8d4b2a-9c7f-4a13-b5e6-2f1a3c4d5e6f';

const observed = (at: string, priceCents: number, currency = 'EUR', retailerId = RETAILER): ObservedPrice => ({
  partId: PART,
  retailerId,
  priceCents,
  currency,
  observedAt: new Date(at),
});

const day = (date: string, minPriceCents: number, currency: string, lastObservedAt: string, retailerId = RETAILER): DailyMinimum => ({
  partId: PART,
  retailerId,
  day: date,
  minPriceCents,
  currency,
  lastObservedAt: new Date(lastObservedAt),
});

const oneAtATime = (stored: DailyMinimum | undefined, observations: ObservedPrice[]) => observations.reduce(withObservation, stored);

describe('daily minimum of a price', () => {
  it('is the UTC date of the observation, whatever offset the feed used', () => {
    expect(utcDay(new Date('2025-03-02T01:00:00+02:00'))).toBe('2025-03-01');
    expect(utcDay(new Date('2025-03-01T23:59:59.999Z'))).toBe('2025-03-01');
  });

  it('keeps the lowest price of the day, in whatever order the observations arrive', () => {
    const result = oneAtATime(undefined, [observed('2025-03-01T12:00:00Z', 120_00), observed('2025-03-01T08:00:00Z', 95_00), observed('2025-03-01T20:00:00Z', 100_00)]);
    expect(result).toEqual(day('2025-03-01', 95_00, 'EUR', '2025-03-01T20:00:00Z'));
  });

  it('restarts the minimum when a later observation is in another currency', () => {
    const result = oneAtATime(undefined, [observed('2025-03-01T08:00:00Z', 90_00, 'EUR'), observed('2025-03-01T09:00:00Z', 110_00, 'USD')]);
    expect(result).toEqual(day('2025-03-01', 110_00, 'USD', '2025-03-01T09:00:00Z'));
  });

  it('drops an observation in the other currency that is not later than the newest one (a back-fill from before the switch)', () => {
    const switched = day('2025-03-01', 110_00, 'USD', '2025-03-01T09:00:00Z');
    expect(withObservation(switched, observed('2025-03-01T08:00:00Z', 50_00, 'EUR'))).toBe(switched);
    expect(withObservation(switched, observed('2025-03-01T09:00:00Z', 50_00, 'EUR'))).toBe(switched);
  });

  it('lowers the minimum with a back-fill in the current currency without moving the last observation back', () => {
    expect(withObservation(day('2025-03-01', 110_00, 'USD', '2025-03-01T09:00:00Z'), observed('2025-03-01T07:00:00Z', 105_00, 'USD'))).toEqual(
      day('2025-03-01', 105_00, 'USD', '2025-03-01T09:00:00Z'),
    );
  });
});

describe('daily minimums of a batch', () => {
  it('folds the batch into the stored day exactly as one observation at a time would', () => {
    // A batch's own minimum cannot be merged into the stored row afterwards: here the USD price
    // resets the batch's EUR minimum, but one at a time it is dropped (the stored row is later).
    const stored = day('2025-03-01', 100_00, 'EUR', '2025-03-01T18:00:00Z');
    const batch = [observed('2025-03-01T06:00:00Z', 40_00, 'EUR'), observed('2025-03-01T12:00:00Z', 50_00, 'USD')];
    expect(foldDailyMinimums([stored], batch)).toEqual([day('2025-03-01', 40_00, 'EUR', '2025-03-01T18:00:00Z')]);
    expect(foldDailyMinimums([stored], batch)).toEqual([oneAtATime(stored, batch)]);
  });

  it('switches the stored day to a later currency and keeps folding in it', () => {
    const stored = day('2025-03-01', 100_00, 'EUR', '2025-03-01T08:00:00Z');
    const batch = [observed('2025-03-01T07:00:00Z', 30_00, 'USD'), observed('2025-03-01T10:00:00Z', 120_00, 'USD'), observed('2025-03-01T09:00:00Z', 115_00, 'USD'), observed('2025-03-01T09:30:00Z', 10_00, 'EUR')];
    expect(foldDailyMinimums([stored], batch)).toEqual([day('2025-03-01', 115_00, 'USD', '2025-03-01T10:00:00Z')]);
  });

  it('keeps each (part, retailer, day) apart and returns only the days the batch touched', () => {
    const untouched = day('2025-02-28', 70_00, 'EUR', '2025-02-28T10:00:00Z');
    const batch = [observed('2025-03-01T10:00:00Z', 100_00), observed('2025-03-02T10:00:00Z', 90_00), observed('2025-03-01T11:00:00Z', 80_00, 'EUR', OTHER_RETAILER), observed('2025-03-01T12:00:00Z', 95_00)];
    expect(foldDailyMinimums([untouched], batch)).toEqual([
      day('2025-03-01', 95_00, 'EUR', '2025-03-01T12:00:00Z'),
      day('2025-03-02', 90_00, 'EUR', '2025-03-02T10:00:00Z'),
      day('2025-03-01', 80_00, 'EUR', '2025-03-01T11:00:00Z', OTHER_RETAILER),
    ]);
  });

  it('meets the stored day of an id written in upper case, as PostgreSQL compares uuids', () => {
    const stored = day('2025-03-01', 100_00, 'EUR', '2025-03-01T18:00:00Z');
    const [result] = foldDailyMinimums([stored], [{ ...observed('2025-03-01T06:00:00Z', 90_00), partId: PART.toUpperCase() }]);
    expect(result).toMatchObject({ partId: PART, minPriceCents: 90_00, lastObservedAt: new Date('2025-03-01T18:00:00Z') });
  });
});
