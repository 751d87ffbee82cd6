import { describe, expect, it } from '@jest/globals';
import { newestPerOffer } from './prices-newest-observation.js';

const PART = '5b0a3c9e-6f1d-4c43-9a52-1f7e2b8d4a10';
const RETAILER = 'c2f1e7a4-0b6d-4e59-8f3a-7d2c9b1e5a64';
const OTHER_RETAILER = '0e8d4b2a-9c7f-4a13-b5e6-2f1a3c4d5e6f';

const observed = (name: string, at: string, retailerId = RETAILER) => ({ name, partId: PART, retailerId, observedAt: new Date(at) });

describe('newest observation per offer', () => {
  it('keeps the newest observation of each (part, retailer), whatever order they arrive in', () => {
    const batch = [observed('10h', '2025-03-01T10:00:00Z'), observed('12h', '2025-03-01T12:00:00Z'), observed('11h back-fill', '2025-03-01T11:00:00Z'), observed('other shop', '2025-03-01T09:00:00Z', OTHER_RETAILER)];
    expect(newestPerOffer(batch).map((o) => o.name)).toEqual(['12h', 'other shop']);
  });

  it('keeps the first of equally new observations, as the held price is only replaced by a newer one', () => {
    const batch = [observed('first', '2025-03-01T12:00:00Z'), observed('same hour again', '2025-03-01T12:00:00Z')];
    expect(newestPerOffer(batch).map((o) => o.name)).toEqual(['first']);
  });

  it('treats an upper-case id as the same offer, as PostgreSQL compares uuids', () => {
    const batch = [observed('lower', '2025-03-01T10:00:00Z'), { ...observed('upper', '2025-03-01T11:00:00Z'), partId: PART.toUpperCase() }];
    expect(newestPerOffer(batch).map((o) => o.name)).toEqual(['upper']);
  });
});
