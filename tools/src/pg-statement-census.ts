/**
 * What the database was asked during one phase of a bench or the soak, from pg_stat_statements:
 * start() empties the statistics, then the census reads the phase's totals and its top statements.
 * Only this database's statements count, and none that reads the statistics views (`pg_stat_*`):
 * the census's own queries and the soak's sampling of pg_stat_activity are not the load.
 */

/** Runs one SQL text and answers its rows: a pg.Pool's or a knex's, whichever the caller holds. */
export type RunSql = (sql: string) => Promise<unknown[]>;

export interface CensusStatement {
  /** Whitespace collapsed, cut at `queryChars` characters (160 unless the caller asked for more). */
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
}

export interface StatementCensus {
  /** Every statement of the phase: how many, and their execution time (the work around each one is not counted). */
  totals(): Promise<{ calls: number; execMs: number }>;
  /**
   * The `limit` statements with the most calls (ties: most time) or the most total execution time,
   * their text cut at `queryChars` (a caller that looks for a name anywhere in it asks for all).
   */
  top(by: 'calls' | 'time', limit: number, queryChars?: number): Promise<CensusStatement[]>;
}

const PHASE = `dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_%'`;

/** Undefined when the server does not preload pg_stat_statements (the extension cannot count without it). */
export async function startStatementCensus(run: RunSql): Promise<StatementCensus | undefined> {
  const [{ loaded }] = (await run(`SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%' AS loaded`)) as [{ loaded: boolean }];
  if (!loaded) return undefined;
  await run('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await run('SELECT pg_stat_statements_reset()');
  return {
    async totals() {
      // bigint and double sums: strings from the driver when they are bigint, so through Number.
      const [sums] = (await run(`SELECT coalesce(sum(calls), 0)::bigint AS calls, coalesce(sum(total_exec_time), 0) AS ms FROM pg_stat_statements WHERE ${PHASE}`)) as [{ calls: string; ms: number }];
      return { calls: Number(sums.calls), execMs: Number(sums.ms) };
    },
    async top(by, limit, queryChars = 160) {
      const order = by === 'calls' ? 'calls DESC, total_exec_time DESC' : 'total_exec_time DESC, calls DESC';
      const rows = (await run(
        `SELECT query, calls::text AS calls, total_exec_time AS total, mean_exec_time AS mean, max_exec_time AS max
           FROM pg_stat_statements WHERE ${PHASE} ORDER BY ${order} LIMIT ${Math.trunc(limit)}`,
      )) as { query: string; calls: string; total: number; mean: number; max: number }[];
      return rows.map((row) => ({ query: row.query.replace(/\s+/g, ' ').slice(0, queryChars), calls: Number(row.calls), totalMs: row.total, meanMs: row.mean, maxMs: row.max }));
    },
  };
}
