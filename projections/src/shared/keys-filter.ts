import type { Knex } from 'knex';

/** The ids a statement acts on, or `'all'`: every row (a bulk finish). */
export type Keys = readonly string[] | 'all';

/** Nothing to act on: an empty list (`'all'` never is). */
export const noKeys = (keys: Keys): boolean => keys !== 'all' && keys.length === 0;

/**
 * The condition "`column` is one of the ids" with its binding, or `true` and no binding for `'all'`,
 * so one statement serves a live batch's few keys and a finish's every row.
 */
export function keysFilter(column: string, keys: Keys): { sql: string; bindings: Knex.RawBinding[] } {
  return keys === 'all' ? { sql: 'true', bindings: [] } : { sql: `${column} = ANY(?::uuid[])`, bindings: [[...keys]] };
}
