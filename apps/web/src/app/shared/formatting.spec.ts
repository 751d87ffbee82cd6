import { describe, expect, it } from '@jest/globals';
import { AgePipe, BikeTitlePipe, CategoryPipe, formatAge, MoneyPipe, UNKNOWN_BIKE } from './formatting';

describe('the formatting pipes', () => {
  it('money: cents in their own currency; a dash for no price', () => {
    const money = new MoneyPipe();
    expect(money.transform(89_900, 'USD')).toBe('$899.00');
    expect(money.transform(4_550, 'EUR')).toBe('€45.50');
    expect(money.transform(1_000, 'GBP')).toBe('£10.00');
    expect(money.transform(null)).toBe('—');
    expect(money.transform(undefined, 'USD')).toBe('—');
    expect(money.transform(0, null)).toBe('$0.00');
  });

  it('age: how long ago, in the unit a rider reads at a glance', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(formatAge('2026-12-03T11:59:30Z', now)).toBe('just now');
    expect(formatAge('2026-12-03T11:15:00Z', now)).toBe('45 min ago');
    expect(formatAge('2026-12-02T12:00:00Z', now)).toBe('24 h ago');
    expect(formatAge('2026-11-26T12:00:00Z', now)).toBe('7 days ago');
    expect(formatAge('not a time', now)).toBe('unknown');
    expect(new AgePipe().transform(null)).toBe('—');
  });

  it('bikeTitle: year, make, model and trim when there is one; a sentence for a bike gone from the catalog', () => {
    const pipe = new BikeTitlePipe();
    expect(pipe.transform({ year: 2021, make: 'Yamaha', model: 'MT-07', trim: null })).toBe('2021 Yamaha MT-07');
    expect(pipe.transform({ year: 2023, make: 'Honda', model: 'CB650R', trim: 'E-Clutch' })).toBe('2023 Honda CB650R E-Clutch');
    expect(pipe.transform({ year: 2023, make: 'Honda', model: 'CB650R', trim: '' })).toBe('2023 Honda CB650R');
    expect(pipe.transform(null)).toBe(UNKNOWN_BIKE);
  });

  it("category: the domain's label, and readable words for a key the web does not know yet", () => {
    const pipe = new CategoryPipe();
    expect(pipe.transform('brake-pads')).toBe('Brake pads');
    expect(pipe.transform('quantum-flux')).toBe('quantum flux');
  });
});
