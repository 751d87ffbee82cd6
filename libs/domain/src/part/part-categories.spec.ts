import { describe, expect, it } from '@jest/globals';
import { PART_CATEGORIES, SINGLE_SLOT_CATEGORIES, isPartCategory, partCategoryLabel } from './part-categories.js';

describe('part categories', () => {
  it('has the twenty keys of DESIGN §4, each with a label', () => {
    expect(PART_CATEGORIES).toHaveLength(20);
    for (const category of PART_CATEGORIES) expect(partCategoryLabel(category)).toMatch(/^[A-Z]/);
  });

  it('treats exhaust, windscreens, seats, handlebars and suspension as single-slot', () => {
    expect([...SINGLE_SLOT_CATEGORIES].sort()).toEqual(['exhaust', 'handlebars', 'seats', 'suspension', 'windscreens']);
  });

  it('recognises known keys only, not labels or inherited object keys', () => {
    expect(isPartCategory('chain-sprocket-kits')).toBe(true);
    expect(isPartCategory('Exhaust')).toBe(false);
    expect(isPartCategory('toString')).toBe(false);
    expect(isPartCategory(undefined)).toBe(false);
  });
});
