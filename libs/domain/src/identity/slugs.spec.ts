import { describe, expect, it } from '@jest/globals';
import { bikeSlug, partSlug, partSlugWithSku, slugify } from './slugs.js';

describe('slugs', () => {
  it.each([
    ['Doppel-Düse', 'doppel-duse'],
    ['Akrapovič Slip-On Line (Titanium)', 'akrapovic-slip-on-line-titanium'],
    ['R&G Racing', 'r-and-g-racing'],
    ["Rider's Choice", 'riders-choice'],
    ['  Straße  Ø 40 mm ', 'strasse-o-40-mm'],
    ['---', ''],
  ])('slugifies %j as %j', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it('makes a bike slug of year, make and model', () => {
    expect(bikeSlug({ year: 2021, make: 'Yamaha', model: 'MT-07' })).toBe('2021-yamaha-mt-07');
  });

  it('appends the trim to a bike slug when there is one', () => {
    expect(bikeSlug({ year: 2022, make: 'BMW', model: 'R 1250 GS', trim: 'Adventure' })).toBe('2022-bmw-r-1250-gs-adventure');
  });

  it('makes a part slug of brand and name', () => {
    expect(partSlug({ brand: 'Akrapovič', name: 'Slip-On Line (Titanium)' })).toBe('akrapovic-slip-on-line-titanium');
  });

  it('makes a taken part slug unique with the sku', () => {
    expect(partSlugWithSku('akrapovic-slip-on-line-titanium', 'S-Y7SO3/HAPT')).toBe('akrapovic-slip-on-line-titanium-s-y7so3-hapt');
  });
});
