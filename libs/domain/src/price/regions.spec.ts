import { describe, expect, it } from '@jest/globals';
import { DEFAULT_REGION, REGIONS, regionByCode, resolveRegion } from './regions.js';

describe('regions', () => {
  it('gives each region one ISO 4217 currency and a unique ISO 3166-1 alpha-2 code', () => {
    expect(new Set(REGIONS.map((region) => region.code)).size).toBe(REGIONS.length);
    for (const region of REGIONS) {
      expect(region.code).toMatch(/^[A-Z]{2}$/);
      expect(region.currency).toMatch(/^[A-Z]{3}$/);
    }
  });

  it('prices Germany and Ireland in euros, the United Kingdom in pounds', () => {
    expect(regionByCode('DE')?.currency).toBe('EUR');
    expect(regionByCode('ie')?.currency).toBe('EUR');
    expect(regionByCode('GB')?.currency).toBe('GBP');
  });

  it('answers for the default region when none, or an unknown one, is given', () => {
    expect(resolveRegion(undefined).code).toBe(DEFAULT_REGION);
    expect(resolveRegion('JP').code).toBe(DEFAULT_REGION);
    expect(resolveRegion('GB').currency).toBe('GBP');
  });
});
