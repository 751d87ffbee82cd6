import { describe, expect, it } from '@jest/globals';
import { analyseQuery, normaliseText, skuKey } from './query-normaliser.js';
import { buildSynonymIndex, meilisearchSynonyms, SYNONYM_GROUPS } from './synonyms.js';

describe('query normaliser', () => {
  const synonyms = buildSynonymIndex();

  it('folds case and accents and splits model codes into letters and digits', () => {
    expect(normaliseText('Akrapovič MT-07')).toBe('akrapovic mt 07');
    expect(normaliseText('mt07')).toBe(normaliseText('MT 07'));
    expect(normaliseText('R1250GS')).toBe('r 1250 gs');
    expect(skuKey('EBC FA-252/HH')).toBe('ebcfa252hh');
  });

  it('keeps a typed model code together as a phrase and expands its aliases', () => {
    const { terms } = analyseQuery('mt07 exaust', synonyms);
    expect(terms[0]).toEqual({ kind: 'phrase', alternatives: expect.arrayContaining([['mt', '07'], ['fz', '07']]) });
    expect(terms[1]).toEqual({ kind: 'word', word: 'exaust', prefix: true, fuzzy: true });
  });

  it('recognises an alias typed across two words', () => {
    const { terms } = analyseQuery('frame sliders ninja 400', synonyms);
    expect(terms.map((t) => t.kind)).toEqual(['word', 'word', 'phrase']);
    expect(terms[2]).toEqual({ kind: 'phrase', alternatives: expect.arrayContaining([['ninja', '400'], ['ex', '400']]) });
  });

  it('never corrects numbers or short words', () => {
    const { terms } = analyseQuery('ebc 2019', synonyms);
    expect(terms).toEqual([
      { kind: 'word', word: 'ebc', prefix: false, fuzzy: false },
      { kind: 'word', word: '2019', prefix: true, fuzzy: false },
    ]);
  });

  it('offers each run of adjacent tokens as a SKU key', () => {
    expect(analyseQuery('EBC FA 252 HH', synonyms).skuKeys).toContain('fa252hh');
  });

  it('turns query syntax into nothing', () => {
    expect(analyseQuery(`& | ! ( ) : * ' "`, synonyms)).toEqual({ terms: [], skuKeys: [] });
  });

  it('gives Meilisearch every spelling of a group as synonyms of each other', () => {
    const meili = meilisearchSynonyms(SYNONYM_GROUPS);
    expect(meili['mt07']).toEqual(expect.arrayContaining(['mt-07', 'fz-07', 'fz07']));
    expect(meili['fz-07']).toContain('mt07');
  });
});
