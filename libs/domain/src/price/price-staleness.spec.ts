import { describe, expect, it } from '@jest/globals';
import { isPriceStale } from './price-staleness.js';

describe('price staleness', () => {
  it('keeps a price observed exactly 24 hours ago fresh', () => {
    expect(isPriceStale('2025-06-01T10:00:00Z', '2025-06-02T10:00:00Z')).toBe(false);
  });

  it('marks a price older than 24 hours stale', () => {
    expect(isPriceStale('2025-06-01T10:00:00Z', '2025-06-02T10:00:00.001Z')).toBe(true);
  });
});
