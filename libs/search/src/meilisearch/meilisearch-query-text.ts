import { ENGLISH_STOP_WORDS } from './english-stop-words.js';

const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;

const ONE_TOKEN = /^[\p{L}\p{N}]+$/u;
const WORDLIKE = /[\p{L}\p{N}]/u;

function isCode(word: string): boolean {
  return LETTER.test(word) && DIGIT.test(word);
}

/**
 * The words of the synonym spellings that mix letters and digits (`mt07`, `r1250`, `ex400`): model
 * codes Meilisearch must match exactly (its `disableOnWords`) while still expanding their synonyms.
 */
export function modelCodeWords(groups: readonly (readonly string[])[]): string[] {
  const words = groups.flatMap((group) => group.flatMap((spelling) => spelling.toLowerCase().split(/\s+/)));
  return [...new Set(words.filter((word) => ONE_TOKEN.test(word) && isCode(word)))].sort();
}

/**
 * The rider's text as Meilisearch query syntax, so it means what it means on PostgreSQL:
 * - double quotes are dropped and a leading `-` is cut, so rider input never becomes a phrase or a
 *   negative word (PostgreSQL's normaliser strips query syntax the same way);
 * - English stop words are dropped, as PostgreSQL's `english` configuration drops them: with every
 *   word required, "exhaust for mt07" must not need a "for" in the part (only stop words = browse);
 * - a word of letters and digits only that is not a known model code (`fa252hh`, `cbr600rr`) is
 *   sent as a one-word phrase: Meilisearch gives phrases no typos, and a code one character off is
 *   another part or bike (disableOnNumbers covers only words of digits). PostgreSQL never corrects
 *   a word with a digit either. Such a phrase is not matched as a prefix: typing half a code finds
 *   the words it completes on PostgreSQL, not on Meilisearch. A code written with separators
 *   (`fa-252-hh`) stays as it is: Meilisearch splits it into short words and joins them again
 *   (n-grams) to match `FA252HH`, which a phrase would prevent; its pieces are too short for typos.
 */
export function meilisearchQueryText(q: string, knownCodes: ReadonlySet<string>): string {
  return q
    .replaceAll('"', ' ')
    .split(/\s+/)
    .map((word) => word.replace(/^-+/, ''))
    // A run of symbols is no word on either engine; dropping it lets "&&&" browse like "".
    .filter((word) => WORDLIKE.test(word) && !ENGLISH_STOP_WORDS.has(word.toLowerCase()))
    .map((word) => (ONE_TOKEN.test(word) && isCode(word) && !knownCodes.has(word.toLowerCase()) ? `"${word}"` : word))
    .join(' ');
}
