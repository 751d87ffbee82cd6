import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '@mpp/db';
import { createTestDatabase, findFreePort } from '@mpp/testing';
import { startStatementCensus, type RunSql } from './pg-statement-census.js';

const runOn = (pool: pg.Pool): RunSql => async (sql) => (await pool.query(sql)).rows;

describe('startStatementCensus', () => {
  // The run's shared server does not preload pg_stat_statements, so these cases start their own that does.
  let dataDir: string;
  let server: RunningPostgres;
  let phase: pg.Pool;
  let elsewhere: pg.Pool;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mpp-census-pg-'));
    server = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), persistent: false, settings: { shared_preload_libraries: 'pg_stat_statements' } });
    await server.ensureDatabase('census');
    await server.ensureDatabase('elsewhere');
    phase = new pg.Pool({ connectionString: server.urlFor('census') });
    elsewhere = new pg.Pool({ connectionString: server.urlFor('elsewhere') });
    // An idle pooled connection the server drops is reported on its pool; without a listener that
    // report is an unhandled 'error' that fails whichever case is running. A query on a lost
    // connection still fails the case, with its own error.
    for (const pool of [phase, elsewhere]) pool.on('error', () => undefined);
  }, 120_000);

  afterAll(async () => {
    await phase?.end();
    await elsewhere?.end();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("counts this database's statements since the start, without its own reads of the statistics", async () => {
    await phase.query('SELECT 1 AS before_the_start');
    const census = (await startStatementCensus(runOn(phase)))!;
    expect(census).toBeDefined();
    for (let i = 0; i < 3; i++) await phase.query('SELECT $1::int AS answer', [i]);
    await phase.query(`SELECT 1 AS one,
                              2 AS two`);
    await phase.query('SELECT count(*) FROM pg_stat_activity');
    await elsewhere.query('SELECT 1 AS in_another_database');

    expect(await census.totals()).toEqual({ calls: 4, execMs: expect.any(Number) });
    const byCalls = await census.top('calls', 10);
    expect(byCalls.map(({ query, calls }) => ({ query, calls }))).toEqual([
      { query: 'SELECT $1::int AS answer', calls: 3 },
      { query: 'SELECT $1 AS one, $2 AS two', calls: 1 },
    ]);
    expect(await census.top('calls', 1)).toEqual([expect.objectContaining({ query: 'SELECT $1::int AS answer' })]);
    const byTime = await census.top('time', 10);
    expect(byTime.map((st) => st.query).sort()).toEqual(byCalls.map((st) => st.query).sort());
    expect(byTime[0]!.totalMs).toBeGreaterThanOrEqual(byTime[1]!.totalMs);
    expect((await census.top('calls', 1, 8))[0]!.query).toBe('SELECT $');
  });

  it('is undefined on a server that does not preload pg_stat_statements', async () => {
    const db = await createTestDatabase({ migrate: false });
    try {
      expect(await startStatementCensus(async (sql) => ((await db.knex.raw(sql)) as { rows: unknown[] }).rows)).toBeUndefined();
    } finally {
      await db.drop();
    }
  });
});
