import { SEARCH_LIMITS } from './catalog-search.port.js';
import type { SynonymIndex } from './synonyms.js';

/** Letters NFKD does not decompose, folded the way PostgreSQL's `unaccent` folds them. */
const FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ŧ: 't', ħ: 'h', '®': '(r)', '©': '(c)' };

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıŧħ®©]/g, (c) => FOLDS[c] ?? c);
}

/**
 * The TypeScript twin of the SQL function `search_normalise` (migration 0006), which normalises the
 * documents: lower case, accents removed, letters and digits split apart ("MT-07", "mt07" and
 * "mt 07" all become "mt 07"; "FA252HH" becomes "fa 252 hh"), everything else a single space. The
 * int-spec checks both agree. Splitting letters from digits is what lets a model code match however
 * it is typed, without listing every spelling as a synonym.
 */
export function normaliseText(text: string): string {
  return fold(text)
    .replace(/([a-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([a-z])/g, '$1 $2')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** How an exact SKU is compared: folded, letters and digits only ("EBC FA-252/HH" -> "ebcfa252hh"). */
export function skuKey(text: string): string {
  return fold(text).replace(/[^a-z0-9]/g, '');
}

/**
 * One required part of a query. A `word` may be corrected for typos when `fuzzy`; a `phrase` has
 * one or more alternatives (synonyms), each a sequence of words that must appear in order.
 */
export type QueryTerm =
  | { kind: 'word'; word: string; prefix: boolean; fuzzy: boolean }
  | { kind: 'phrase'; alternatives: string[][] };

export interface AnalysedQuery {
  /** Every term must match (AND); empty for an empty query. */
  terms: QueryTerm[];
  /** SKU keys that, when equal to a part's, put it first: each typed token and each run of a few adjacent ones. */
  skuKeys: string[];
}

/** Shorter words are left alone: one typo in four letters is another word. Words with digits are codes and years. */
const MIN_FUZZY_LENGTH = 5;

/**
 * Turns typed text into terms. Words that were one typed token ("mt07", "fa252hh") stay together as
 * a phrase; a known alias anywhere ("mt 07", "ninja 400") becomes a phrase with all its synonyms; the
 * last word also matches as a prefix (as-you-type), unless it is part of a phrase.
 */
export function analyseQuery(text: string, synonyms: SynonymIndex): AnalysedQuery {
  const tokens = text.trim().split(/\s+/).filter((token) => normaliseText(token).length > 0);
  const words: { word: string; token: number }[] = [];
  tokens.forEach((token, index) => {
    for (const word of normaliseText(token).split(' ')) words.push({ word, token: index });
  });
  const longestSynonym = Math.max(1, ...[...synonyms.keys()].map((phrase) => phrase.split(' ').length));

  const terms: QueryTerm[] = [];
  let i = 0;
  while (i < words.length && terms.length < SEARCH_LIMITS.terms) {
    const synonym = synonymAt(words.map((w) => w.word), i, synonyms, longestSynonym);
    if (synonym) {
      terms.push({ kind: 'phrase', alternatives: synonym.alternatives.map((phrase) => phrase.split(' ')) });
      i += synonym.length;
      continue;
    }
    let end = i + 1;
    while (end < words.length && words[end].token === words[i].token && !synonymAt(words.map((w) => w.word), end, synonyms, longestSynonym)) end++;
    const group = words.slice(i, end).map((w) => w.word);
    if (group.length === 1) {
      const word = group[0];
      terms.push({ kind: 'word', word, prefix: end === words.length, fuzzy: word.length >= MIN_FUZZY_LENGTH && !/[0-9]/.test(word) });
    } else {
      terms.push({ kind: 'phrase', alternatives: [group] });
    }
    i = end;
  }
  return { terms, skuKeys: skuKeysOf(tokens) };
}

function synonymAt(words: string[], start: number, synonyms: SynonymIndex, longest: number): { alternatives: readonly string[]; length: number } | undefined {
  for (let length = Math.min(longest, words.length - start); length >= 1; length--) {
    const alternatives = synonyms.get(words.slice(start, start + length).join(' '));
    if (alternatives && alternatives.length > 1) return { alternatives, length };
  }
  return undefined;
}

/** A SKU typed with spaces ("FA 252 HH") is several tokens; spans of up to this many are tried whole. */
const MAX_SKU_TOKENS = 4;

function skuKeysOf(tokens: string[]): string[] {
  const keys = new Set<string>();
  for (let start = 0; start < tokens.length; start++) {
    for (let end = start + 1; end <= Math.min(tokens.length, start + MAX_SKU_TOKENS); end++) keys.add(skuKey(tokens.slice(start, end).join('')));
  }
  // Two or three characters match too many SKUs by accident ("r3", "07").
  return [...keys].filter((key) => key.length >= 4);
}
