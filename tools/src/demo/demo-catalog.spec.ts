import { describe, expect, it } from '@jest/globals';
import { bikeIdFor, isPartCategory, isSingleSlotCategory, normaliseSku, partIdFor, type PartCategory } from '@mpp/domain';
import { DEMO_CATALOG, DEMO_MAKES, DEMO_UNOFFICIAL_FITMENT, expandBikes, expandFitment, yearsIn } from './demo-catalog.js';

const bikeKey = (year: number, make: string, model: string) => JSON.stringify([year, make, model]);
const bikeKeys = new Set(expandBikes(DEMO_CATALOG).map((b) => bikeKey(b.year, b.make, b.model)));
const officialPairs = new Set(expandFitment(DEMO_CATALOG).map((f) => `${partIdFor(f.sku)}|${bikeIdFor(f.year, f.make, f.model)}`));

describe('the demo catalog', () => {
  it('has at least 40 distinct models from all ten makes, about 250 model years', () => {
    expect(new Set(DEMO_CATALOG.bikes.map((b) => `${b.make}|${b.model}`)).size).toBeGreaterThanOrEqual(40);
    expect(new Set(DEMO_CATALOG.bikes.map((b) => b.make))).toEqual(new Set(DEMO_MAKES));
    expect(bikeKeys.size).toBe(expandBikes(DEMO_CATALOG).length);
    expect(bikeKeys.size).toBeGreaterThanOrEqual(200);
    expect(bikeKeys.size).toBeLessThanOrEqual(320);
  });

  it('keeps every model-year range plausible: at most seven years, none in the far future', () => {
    for (const bike of DEMO_CATALOG.bikes) {
      expect(yearsIn(bike.years).length).toBeLessThanOrEqual(7);
      expect(bike.years[1]).toBeLessThanOrEqual(2025);
      expect(bike.engineCc).toBeGreaterThan(100);
    }
  });

  it('uses only the category keys of the domain vocabulary', () => {
    const invalid = DEMO_CATALOG.parts.filter((p) => !isPartCategory(p.category));
    expect(invalid).toEqual([]);
  });

  it('has 150 to 250 parts with unique skus, as the API normalises them', () => {
    expect(DEMO_CATALOG.parts.length).toBeGreaterThanOrEqual(150);
    expect(DEMO_CATALOG.parts.length).toBeLessThanOrEqual(250);
    expect(new Set(DEMO_CATALOG.parts.map((p) => normaliseSku(p.sku))).size).toBe(DEMO_CATALOG.parts.length);
  });

  it('has a handful of retailers with distinct names and https base urls', () => {
    expect(DEMO_CATALOG.retailers.length).toBeGreaterThanOrEqual(5);
    expect(new Set(DEMO_CATALOG.retailers.map((r) => r.name.toLowerCase())).size).toBe(DEMO_CATALOG.retailers.length);
    for (const retailer of DEMO_CATALOG.retailers) expect(retailer.baseUrl).toMatch(/^https:\/\/[a-z0-9.-]+$/);
  });

  it('publishes fitment only for parts and model years that are in the catalog', () => {
    const skus = new Set(DEMO_CATALOG.parts.map((p) => p.sku));
    for (const row of DEMO_CATALOG.fitment) {
      expect(skus).toContain(row.sku);
      for (const year of yearsIn(row.years)) expect(bikeKeys).toContain(bikeKey(year, row.make, row.model));
    }
  });

  it('lets a bike take two parts of one single-slot category, so builds can warn about it', () => {
    const perBikeAndCategory = new Map<string, number>();
    const categoryOf = new Map(DEMO_CATALOG.parts.map((p) => [p.sku, p.category as PartCategory]));
    for (const f of expandFitment(DEMO_CATALOG)) {
      const category = categoryOf.get(f.sku)!;
      if (!isSingleSlotCategory(category)) continue;
      const key = `${bikeKey(f.year, f.make, f.model)}|${category}`;
      perBikeAndCategory.set(key, (perBikeAndCategory.get(key) ?? 0) + 1);
    }
    expect(perBikeAndCategory.get(`${bikeKey(2022, 'Yamaha', 'MT-07')}|exhaust`)).toBeGreaterThanOrEqual(2);
  });

  it('includes an accented brand and an accented model name', () => {
    expect(DEMO_CATALOG.parts.some((p) => p.brand === 'Öhlins')).toBe(true);
    expect(DEMO_CATALOG.bikes.some((b) => b.model === 'Ténéré 700')).toBe(true);
  });

  it('has parts without any official fitment, left to community verifications', () => {
    const fitted = new Set(DEMO_CATALOG.fitment.map((f) => f.sku));
    expect(DEMO_CATALOG.parts.filter((p) => !fitted.has(p.sku)).length).toBeGreaterThanOrEqual(2);
  });

  it('claims unofficial pairs only for catalogued parts and bikes, never ones with official fitment', () => {
    const skus = new Set(DEMO_CATALOG.parts.map((p) => p.sku));
    for (const claim of DEMO_UNOFFICIAL_FITMENT) {
      expect(skus).toContain(claim.sku);
      for (const year of yearsIn(claim.years)) {
        expect(bikeKeys).toContain(bikeKey(year, claim.make, claim.model));
        expect(officialPairs).not.toContain(`${partIdFor(claim.sku)}|${bikeIdFor(year, claim.make, claim.model)}`);
      }
    }
  });
});
