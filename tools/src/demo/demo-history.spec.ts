import { describe, expect, it } from '@jest/globals';
import { bikeIdFor, compatibilityStatus, partIdFor } from '@mpp/domain';
import { DEMO_CATALOG, expandFitment } from './demo-catalog.js';
import { DEMO_RIDERS, generateDemoHistory, mulberry32 } from './demo-history.js';

const officialPairs = new Set(expandFitment(DEMO_CATALOG).map((f) => `${partIdFor(f.sku)}|${bikeIdFor(f.year, f.make, f.model)}`));
const HOUR_MS = 3_600_000;

describe('the demo history', () => {
  const now = new Date('2025-03-14T15:09:26.535Z');
  const history = generateDemoHistory(DEMO_CATALOG, { now });
  const observations = history.prices.flatMap((s) => s.observations);

  it('is the same for the same seed and clock, and different for another seed', () => {
    expect(generateDemoHistory(DEMO_CATALOG, { now: new Date(now) })).toEqual(history);
    expect(generateDemoHistory(DEMO_CATALOG, { now, seed: 7 }).prices).not.toEqual(history.prices);
  });

  it('makes verifications that do not depend on the clock, so a re-run replays the same bodies', () => {
    expect(generateDemoHistory(DEMO_CATALOG, { now: new Date('2030-01-01T00:00:00Z') }).verifications).toEqual(history.verifications);
  });

  it('mulberry32 yields the same numbers in [0, 1) for the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('prices every part at one to three retailers, a few thousand observations at most', () => {
    const perPart = new Map<string, number>();
    for (const s of history.prices) perPart.set(s.sku, (perPart.get(s.sku) ?? 0) + 1);
    expect(perPart.size).toBe(DEMO_CATALOG.parts.length);
    expect([...perPart.values()].every((n) => n >= 1 && n <= 3)).toBe(true);
    expect(observations.length).toBeLessThanOrEqual(4000);
  });

  it('observes each series in the last 30 days, oldest first, one observation per UTC hour', () => {
    for (const s of history.prices) {
      const times = s.observations.map((o) => Date.parse(o.observedAt));
      for (let i = 1; i < times.length; i += 1) expect(Math.floor(times[i] / HOUR_MS)).toBeGreaterThan(Math.floor(times[i - 1] / HOUR_MS));
      expect(times[0]).toBeGreaterThanOrEqual(now.getTime() - 30 * 24 * HOUR_MS);
      expect(times.at(-1)!).toBeLessThan(now.getTime());
    }
  });

  it('leaves most latest prices fresh, some stale and some out of stock', () => {
    const ages = history.prices.map((s) => now.getTime() - Date.parse(s.observations.at(-1)!.observedAt));
    expect(ages.filter((age) => age <= 12 * HOUR_MS).length / ages.length).toBeGreaterThan(0.8);
    expect(ages.filter((age) => age > 24 * HOUR_MS).length).toBeGreaterThan(0);
    expect(history.prices.filter((s) => !s.observations.at(-1)!.inStock).length).toBeGreaterThan(0);
  });

  it('links each observation to the retailer product page of the sku', () => {
    for (const s of history.prices) {
      const retailer = DEMO_CATALOG.retailers.find((r) => r.name === s.retailer)!;
      for (const o of s.observations) {
        expect(o.url.startsWith(`${retailer.baseUrl}/p/`)).toBe(true);
        expect(o.url).toMatch(/^https:\/\/[^\s]+$/);
        expect(Number.isInteger(o.priceCents) && o.priceCents > 0).toBe(true);
        expect(o.currency).toMatch(/^[A-Z]{3}$/);
      }
    }
  });

  it('has each demo rider report on a pair once, under a valid Idempotency-Key', () => {
    const emails = new Set(DEMO_RIDERS.map((r) => r.email));
    const keys = history.verifications.map((v) => `${v.riderEmail}|${v.idempotencyKey}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const v of history.verifications) {
      expect(emails).toContain(v.riderEmail);
      expect(v.idempotencyKey).toMatch(/^[A-Za-z0-9_\-:.]{1,128}$/);
      expect((v.body.notes ?? '').length).toBeLessThanOrEqual(2000);
    }
    expect(history.verifications.length).toBeGreaterThanOrEqual(150);
    expect(history.verifications.length).toBeLessThanOrEqual(600);
  });

  it('leaves pairs without official fitment community-confirmed and disputed, and mostly confirms official ones', () => {
    const counts = new Map<string, { confirmations: number; refutations: number }>();
    for (const v of history.verifications) {
      const key = `${v.body.partId}|${v.body.bikeId}`;
      const c = counts.get(key) ?? { confirmations: 0, refutations: 0 };
      if (v.body.fits) c.confirmations += 1;
      else c.refutations += 1;
      counts.set(key, c);
    }
    const statuses = [...counts].map(([key, c]) => compatibilityStatus({ ...c, officialPublished: officialPairs.has(key) }));
    expect(statuses).toContain('community');
    expect(statuses).toContain('disputed');
    expect(statuses.filter((s) => s === 'verified').length).toBeGreaterThan(statuses.length / 2);
    expect(history.verifications.filter((v) => !v.body.fits).length).toBeGreaterThan(0);
    expect([...counts.values()].some((c) => c.confirmations >= 2)).toBe(true);
  });
});
