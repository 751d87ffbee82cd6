import type { Knex } from '@mpp/db';
import { startStatementCensus, type CensusStatement } from '../pg-statement-census.js';

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
  statements: CensusStatement[];
  /** Most calls first: a statement's cost to the server is as much its round trip as its execution. */
  mostCalled: CensusStatement[];
  /** Every statement of the phase: how many and their execution time (the per-statement work outside it is not counted). */
  totals: { calls: number; execMs: number };
  /** Connections the server accepted during the phase (pool growth: each one a fork and cold caches). */
  sessionsOpened: number;
}

export async function watchDatabaseWaits(knex: Knex): Promise<() => Promise<DatabaseWaits>> {
  const census = await startStatementCensus(async (sql) => ((await knex.raw(sql)) as { rows: unknown[] }).rows);
  if (!census) throw new Error('the soak needs pg_stat_statements in shared_preload_libraries');
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
    const round = (v: number) => Math.round(v * 10) / 10;
    const stats = (st: CensusStatement): CensusStatement => ({ ...st, totalMs: round(st.totalMs), meanMs: round(st.meanMs), maxMs: round(st.maxMs) });
    const [byTime, byCalls, totals] = [await census.top('time', 10), await census.top('calls', 10), await census.totals()];
    return {
      samples,
      activeSessions: [...tally].map(([wait, n]) => ({ wait, mean: Math.round((n / Math.max(1, samples)) * 100) / 100 })).sort((a, b) => b.mean - a.mean).slice(0, 8),
      statements: byTime.map(stats),
      mostCalled: byCalls.map(stats),
      totals: { calls: totals.calls, execMs: round(totals.execMs) },
      sessionsOpened: opened,
    };
  };
}

/** Sessions established in every database of the server since its statistics began (PostgreSQL 14+). */
async function sessionsOpened(knex: Knex): Promise<number> {
  const { rows } = (await knex.raw('SELECT coalesce(sum(sessions), 0)::bigint AS n FROM pg_stat_database')) as { rows: { n: number }[] };
  return Number(rows[0]!.n);
}
