import { normaliseText } from './query-normaliser.js';

/**
 * Model aliases riders type for the same bike: spellings of one model code, the other market's
 * name (FZ-07 is the US MT-07), the factory code (EX400 is the Ninja 400). Each group is a set of
 * equivalent spellings. Meilisearch receives them as they are (its tokenizer keeps "mt07" whole);
 * the PostgreSQL adapter compares their normalised forms ("mt07" and "MT-07" both become "mt 07"),
 * so several spellings collapse into one there.
 *
 * Misspellings (exaust, akrapovik) are not listed: typo tolerance covers them on both engines.
 */
export const MODEL_SYNONYMS: readonly (readonly string[])[] = [
  ['mt-07', 'mt07', 'fz-07', 'fz07'],
  ['mt-09', 'mt09', 'fz-09', 'fz09'],
  ['mt-03', 'mt03'],
  ['ninja 400', 'ninja400', 'ex400', 'ex-400'],
  ['ninja 650', 'ninja650', 'ex650', 'ex-650'],
  ['z900', 'z 900', 'zr900'],
  ['cbr650r', 'cbr 650r', 'cbr-650r', 'cbr650 r'],
  ['cb650r', 'cb 650r', 'cb-650r'],
  ['r1250gs', 'r 1250 gs', 'gs1250', '1250gs', 'r1250 gs'],
  ['r1200gs', 'r 1200 gs', 'gs1200', '1200gs'],
  ['africa twin', 'crf1100l'],
  ['tenere 700', 't7', 't700', 'xtz700'],
  ['street triple', 'streettriple'],
  ['duke 390', '390 duke'],
  ['sv650', 'sv 650', 'sv-650'],
];

/** Part words with the same meaning; also a synonym set on both engines. */
export const WORD_SYNONYMS: readonly (readonly string[])[] = [
  ['tyre', 'tire'],
  ['tyres', 'tires'],
  ['silencer', 'muffler', 'slip-on'],
  ['windscreen', 'windshield'],
];

export const SYNONYM_GROUPS: readonly (readonly string[])[] = [...MODEL_SYNONYMS, ...WORD_SYNONYMS];

/** Normalised phrase (words joined by one space) -> the normalised phrases equivalent to it, itself included. */
export type SynonymIndex = ReadonlyMap<string, readonly string[]>;

export function buildSynonymIndex(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): SynonymIndex {
  const index = new Map<string, string[]>();
  for (const group of groups) {
    const phrases = [...new Set(group.map(normaliseText).filter((phrase) => phrase.length > 0))];
    for (const phrase of phrases) {
      const known = index.get(phrase) ?? [];
      index.set(phrase, [...new Set([...known, ...phrases])]);
    }
  }
  return index;
}

/** Meilisearch's synonym setting: every spelling maps to all the others (its synonyms are one-way). */
export function meilisearchSynonyms(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): Record<string, string[]> {
  const synonyms: Record<string, Set<string>> = {};
  for (const group of groups) {
    const spellings = [...new Set(group.map((s) => s.toLowerCase()))];
    for (const spelling of spellings) {
      synonyms[spelling] ??= new Set();
      for (const other of spellings) if (other !== spelling) synonyms[spelling].add(other);
    }
  }
  return Object.fromEntries(Object.entries(synonyms).map(([key, values]) => [key, [...values].sort()]));
}
