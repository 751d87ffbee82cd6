import { describe, expect, it } from '@jest/globals';
import { SYNONYM_GROUPS } from '../synonyms.js';
import { meilisearchQueryText, modelCodeWords } from './meilisearch-query-text.js';

const known = new Set(modelCodeWords(SYNONYM_GROUPS));

describe('meilisearchQueryText', () => {
  it('leaves words, numbers and known model codes as they are, so typos and synonyms apply', () => {
    expect(meilisearchQueryText('akrapovic 2019 yamaha', known)).toBe('akrapovic 2019 yamaha');
    expect(meilisearchQueryText('frame sliders ninja400', known)).toBe('frame sliders ninja400');
    expect(meilisearchQueryText('R1250GS crash bars', known)).toBe('R1250GS crash bars');
    expect(meilisearchQueryText('r1250 gs', known)).toBe('r1250 gs');
  });

  it('sends any other word mixing letters and digits as a phrase, which Meilisearch never typo-corrects', () => {
    expect(meilisearchQueryText('ebc fa252hh', known)).toBe('ebc "fa252hh"');
    expect(meilisearchQueryText('cbr600rr', known)).toBe('"cbr600rr"');
  });

  it('leaves a code written with separators to Meilisearch, which joins its pieces (n-grams) to match the SKU', () => {
    expect(meilisearchQueryText('fa-252-hh', known)).toBe('fa-252-hh');
    expect(meilisearchQueryText('S-Y7SO8-HAPT', known)).toBe('S-Y7SO8-HAPT');
  });

  it('drops the stop words PostgreSQL drops; only stop words leave nothing (browse)', () => {
    expect(meilisearchQueryText('exhaust for the MT07', known)).toBe('exhaust MT07');
    expect(meilisearchQueryText('The For', known)).toBe('');
  });

  it('drops phrase quotes and negation, so rider input is never query syntax', () => {
    expect(meilisearchQueryText('"slip on" -exhaust --carbon', known)).toBe('slip exhaust carbon');
    expect(meilisearchQueryText('" - "', known)).toBe('');
    expect(meilisearchQueryText("brake & pads | ' : * ( ! <->", known)).toBe('brake pads');
  });
});

describe('modelCodeWords', () => {
  it('lists every word of a synonym spelling that mixes letters and digits, once, and no plain word', () => {
    const words = modelCodeWords([['r1250gs', 'r 1250 gs', 'r1250 gs'], ['tyre', 'tire'], ['MT07', 'mt07', 'mt-07']]);
    expect(words).toEqual(['mt07', 'r1250', 'r1250gs']);
  });
});
