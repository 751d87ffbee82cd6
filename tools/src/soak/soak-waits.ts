import type { Knex } from '@mpp/db';

/**
 * What the database was doing during the load phase: active sessions sampled every 100 ms by wait
 * event (a pile-up on a lock or on WAL writes shows here), and the statements that took the most
 * execution time (pg_stat_statements, which the soak's PostgreSQL preloads). Nothing here is a
 * check; it is the report's answer to "is the tail the database's".
 */
export interface DatabaseWaits {
  samples: number;
  /** Mean active sessions per sample in each wait (`CPU` when running, not waiting), most first. */
  activeSessions: { wait: string; mean: number }[];
  /** Most total execution time first. */
  statements: StatementStats[];
  /** Most calls first: a statement's cost to the server is as much its round trip as its execution. */
  mostCalled: StatementStats[];
  /** Every statement of the phase: how many and their execution time (the per-statement work outside it is not counted). */
  totals: { calls: number; execMs: number };
  /** Connections the server accepted during the phase (pool growth: each one a fork and cold caches). */
  sessionsOpened: number;
}

interface StatementStats {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
}

export async function watchDatabaseWaits(knex: Knex): Promise<() => Promise<DatabaseWaits>> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await knex.raw('SELECT pg_stat_statements_reset()');
  const sessionsBefore = await sessionsOpened(knex);
  const tally = new Map<string, number>();
  let samples = 0;
  let on = true;
  const sampler = (async () => {
    while (on) {
      const { rows } = (await knex
        .raw(
          `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait, count(*)::int AS n FROM pg_stat_activity
            WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1`,
        )
        .catch(() => ({ rows: [] }))) as { rows: { wait: string; n: number }[] };
      samples += 1;
      for (const { wait, n } of rows) tally.set(wait, (tally.get(wait) ?? 0) + n);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    on = false;
    await sampler;
    const opened = (await sessionsOpened(knex)) - sessionsBefore;
    const top = async (order: string) =>
      ((await knex.raw(
        `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls::int, total_exec_time AS total, mean_exec_time AS mean, max_exec_time AS max
           FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_%' ORDER BY ${order} DESC LIMIT 10`,
      )) as { rows: { query: string; calls: number; total: number; mean: number; max: number }[] }).rows;
    const [byTime, byCalls] = [await top('total_exec_time'), await top('calls')];
    const { rows: sums } = (await knex.raw(
      `SELECT coalesce(sum(calls), 0)::bigint AS calls, coalesce(sum(total_exec_time), 0) AS total FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_%'`,
    )) as { rows: { calls: number; total: number }[] };
    const round = (v: number) => Math.round(v * 10) / 10;
    const stats = (r: (typeof byTime)[number]): StatementStats => ({ query: r.query.slice(0, 160), calls: r.calls, totalMs: round(r.total), meanMs: round(r.mean), maxMs: round(r.max) });
    return {
      samples,
      activeSessions: [...tally].map(([wait, n]) => ({ wait, mean: Math.round((n / Math.max(1, samples)) * 100) / 100 })).sort((a, b) => b.mean - a.mean).slice(0, 8),
      statements: byTime.map(stats),
      mostCalled: byCalls.map(stats),
      totals: { calls: Number(sums[0]!.calls), execMs: round(Number(sums[0]!.total)) },
      sessionsOpened: opened,
    };
  };
}

/** Sessions established in every database of the server since its statistics began (PostgreSQL 14+). */
async function sessionsOpened(knex: Knex): Promise<number> {
  const { rows } = (await knex.raw('SELECT coalesce(sum(sessions), 0)::bigint AS n FROM pg_stat_database')) as { rows: { n: number }[] };
  return Number(rows[0]!.n);
}
