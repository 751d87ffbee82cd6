import type { Knex } from 'knex';
import type { SearchTables } from './search-tables.js';

export interface WordCorrection {
  /** The word (or, for the last word, a word starting with it) occurs in some document. */
  known: boolean;
  /** Vocabulary words spelled alike, best first; used only when the word is not known. */
  similar: string[];
}

/** pg_trgm's similarity; two typos in a nine-letter word ("akrapvik") score about 0.36. */
const MIN_SIMILARITY = 0.3;
const MAX_SUGGESTIONS = 3;

/**
 * Typo tolerance the PostgreSQL way: words riders mistype are looked up in the vocabulary of all
 * document words by trigram similarity (GIN index `search_vocabulary_trigrams`), and the query then
 * searches for the word or its look-alikes. One round trip for all words of a query.
 */
export async function findCorrections(knex: Knex, tables: SearchTables, words: readonly { word: string; prefix: boolean }[]): Promise<Map<string, WordCorrection>> {
  if (words.length === 0) return new Map();
  const result = await knex.raw<{ rows: { word: string; known: boolean; similar: string[] }[] }>(
    `SELECT q.word,
            EXISTS (SELECT 1 FROM ${tables.vocabulary} v
                     WHERE v.word = q.word OR (q.prefix AND v.word LIKE q.word || '%')) AS known,
            ARRAY(SELECT v.word FROM ${tables.vocabulary} v
                   WHERE v.word % q.word
                     AND similarity(v.word, q.word) >= ?
                     AND abs(length(v.word) - length(q.word)) <= 2
                   ORDER BY similarity(v.word, q.word) DESC, v.word
                   LIMIT ?) AS similar
       FROM unnest(?::text[], ?::boolean[]) AS q(word, prefix)`,
    [MIN_SIMILARITY, MAX_SUGGESTIONS, words.map((w) => w.word), words.map((w) => w.prefix)],
  );
  return new Map(result.rows.map((row) => [row.word, { known: row.known, similar: row.similar }]));
}
