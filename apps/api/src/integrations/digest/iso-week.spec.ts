import { describe, expect, it } from '@jest/globals';
import { isoWeekOf } from './iso-week.js';

describe('isoWeekOf', () => {
  it('numbers weeks from the one holding the first Thursday', () => {
    expect(isoWeekOf(new Date('2026-01-01T12:00:00Z'))).toBe('2026-W01');
    expect(isoWeekOf(new Date('2026-03-09T00:00:00Z'))).toBe('2026-W11');
  });

  it('gives the last days of December to next year, and early January to last year, when the Thursday says so', () => {
    expect(isoWeekOf(new Date('2024-12-30T08:00:00Z'))).toBe('2025-W01');
    expect(isoWeekOf(new Date('2021-01-03T23:59:59Z'))).toBe('2020-W53');
  });

  it('keeps one week from Monday 00:00 to Sunday 23:59 UTC', () => {
    expect(isoWeekOf(new Date('2026-03-09T00:00:00Z'))).toBe(isoWeekOf(new Date('2026-03-15T23:59:59Z')));
    expect(isoWeekOf(new Date('2026-03-16T00:00:00Z'))).not.toBe(isoWeekOf(new Date('2026-03-15T23:59:59Z')));
  });
});
