import { describe, expect, it } from '@jest/globals';
import { firstPageEndingAfter } from './shared-log-reader.js';

describe('firstPageEndingAfter', () => {
  const pages = [{ last: 3n }, { last: 4n }, { last: 10n }, { last: 11n }];

  it('finds the page holding the first event after the cursor', () => {
    expect(firstPageEndingAfter(pages, 0n)).toBe(0);
    expect(firstPageEndingAfter(pages, 2n)).toBe(0);
    expect(firstPageEndingAfter(pages, 3n)).toBe(1);
    expect(firstPageEndingAfter(pages, 4n)).toBe(2);
    expect(firstPageEndingAfter(pages, 7n)).toBe(2);
    expect(firstPageEndingAfter(pages, 10n)).toBe(3);
  });

  it('answers the length when every page ends at or before the cursor, and for no pages', () => {
    expect(firstPageEndingAfter(pages, 11n)).toBe(4);
    expect(firstPageEndingAfter(pages, 99n)).toBe(4);
    expect(firstPageEndingAfter([], 0n)).toBe(0);
  });

  it('agrees with a linear scan over many one-event pages', () => {
    const many = Array.from({ length: 1_000 }, (_, i) => ({ last: BigInt(2 * i + 1) }));
    for (const cursor of [0n, 1n, 2n, 999n, 1000n, 1998n, 1999n, 2000n]) {
      const linear = many.findIndex((page) => page.last > cursor);
      expect(firstPageEndingAfter(many, cursor)).toBe(linear === -1 ? many.length : linear);
    }
  });
});
