import type { QueryTerm } from '../query-normaliser.js';
import { MAX_COMPLETIONS, type WordCorrection } from './typo-corrections.js';

/**
 * The `to_tsquery('english', …)` source for the terms: every term required (&), a word OR its typo
 * corrections, a phrase OR its synonyms, each phrase's words adjacent (<->). Words are normalised
 * to [a-z0-9] before they get here, so nothing in the text is tsquery syntax from the user; it is
 * still passed as a parameter. PostgreSQL stems each word and drops stop words.
 */
export function tsquerySource(terms: readonly QueryTerm[], corrections: ReadonlyMap<string, WordCorrection>): string {
  return terms
    .map((term) => {
      if (term.kind === 'phrase') return `(${term.alternatives.map((words) => words.join(' <-> ')).join(' | ')})`;
      const correction = corrections.get(term.word);
      const completions = correction?.completions ?? [];
      // The words it begins, when few: the same documents as the prefix (their stems are what it would reach), found far faster.
      const typed = !term.prefix ? term.word : completions.length > 0 && completions.length <= MAX_COMPLETIONS ? completions.join(' | ') : `${term.word}:*`;
      const alternatives = correction && !correction.known ? [typed, ...correction.similar] : [typed];
      return `(${alternatives.join(' | ')})`;
    })
    .join(' & ');
}
