import type { Knex } from 'knex';
import type { SearchTables } from './search-tables.js';

export interface WordCorrection {
  /** The word (or, for the last word, a word starting with it) occurs in some document. */
  known: boolean;
  /** Vocabulary words spelled alike, best first; used only when the word is not known. */
  similar: string[];
  /** For the last word: the vocabulary words it begins, up to MAX_COMPLETIONS + 1 (more means "too many to list"). */
  completions: string[];
}

/** pg_trgm's similarity; two typos in a nine-letter word ("akrapvik") score about 0.36. */
const MIN_SIMILARITY = 0.3;
const MAX_SUGGESTIONS = 3;
/**
 * A last word is searched as the words it begins when they are this few: GIN then looks up exact
 * entries, which it intersects with the other terms cheaply; a prefix (`carbon:*`) makes it collect
 * every document of every matching entry first (40 ms instead of 1 for `carbon` at 100,000 parts).
 */
export const MAX_COMPLETIONS = 16;

/**
 * Typo tolerance the PostgreSQL way: words riders mistype are looked up in the vocabulary of all
 * document words by trigram similarity (GIN index `search_vocabulary_trigrams`), and the query then
 * searches for the word or its look-alikes. The last word's completions come from the same
 * vocabulary. One round trip for all words of a query.
 */
export async function findCorrections(
  knex: Knex,
  tables: SearchTables,
  words: readonly { word: string; prefix: boolean; fuzzy: boolean }[],
): Promise<Map<string, WordCorrection>> {
  if (words.length === 0) return new Map();
  const result = await knex.raw<{ rows: { word: string; known: boolean; similar: string[]; completions: string[] }[] }>(
    `SELECT q.word,
            EXISTS (SELECT 1 FROM ${tables.vocabulary} v
                     WHERE v.word = q.word OR (q.prefix AND v.word LIKE q.word || '%')) AS known,
            ARRAY(SELECT v.word FROM ${tables.vocabulary} v
                   WHERE q.fuzzy
                     AND v.word % q.word
                     AND similarity(v.word, q.word) >= ?
                     AND abs(length(v.word) - length(q.word)) <= 2
                   ORDER BY similarity(v.word, q.word) DESC, v.word
                   LIMIT ?) AS similar,
            ARRAY(SELECT v.word FROM ${tables.vocabulary} v
                   WHERE q.prefix AND v.word LIKE q.word || '%'
                   ORDER BY v.word
                   LIMIT ?) AS completions
       FROM unnest(?::text[], ?::boolean[], ?::boolean[]) AS q(word, prefix, fuzzy)`,
    [MIN_SIMILARITY, MAX_SUGGESTIONS, MAX_COMPLETIONS + 1, words.map((w) => w.word), words.map((w) => w.prefix), words.map((w) => w.fuzzy)],
  );
  return new Map(result.rows.map((row) => [row.word, { known: row.known, similar: row.similar, completions: row.completions }]));
}
