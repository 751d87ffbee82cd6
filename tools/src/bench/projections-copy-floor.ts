import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Knex } from '@mpp/db';

export interface CopySource {
  /** `projection.table`, or `events`. */
  label: string;
  schema: string;
  table: string;
}

export interface FloorResult {
  method: 'COPY FROM file' | 'INSERT ... SELECT';
  tables: number;
  rows: number;
  seconds: number;
  /** Each table's own load, slowest first: where the floor's time goes, to set beside the rebuild's statements. */
  perTable: { label: string; rows: number; seconds: number }[];
}

const FLOOR_SCHEMA = 'bench_copy_floor';

/**
 * The speed limit of PostgreSQL on this machine for writing given rows: each source table's rows
 * are exported to a server-side file (not timed), then loaded with COPY into an empty table with the
 * same columns, generated columns and indexes (`LIKE … INCLUDING ALL`), `parallel` loads at a time.
 * Only the loads are timed. A server whose files this process cannot reach (DATABASE_URL elsewhere,
 * no superuser) gets INSERT … SELECT instead, and the result says so.
 */
export async function copyFloor(knex: Knex, sources: readonly CopySource[], options: { parallel: number; serverIsLocal: boolean }): Promise<FloorResult> {
  const dir = mkdtempSync(join(os.tmpdir(), 'mpp-bench-copy-'));
  // The server may run as another OS user (embedded PostgreSQL under root runs as `postgres`).
  chmodSync(dir, 0o777);
  try {
    await knex.raw(`DROP SCHEMA IF EXISTS ${FLOOR_SCHEMA} CASCADE`);
    await knex.raw(`CREATE SCHEMA ${FLOOR_SCHEMA}`);
    const loads: { label: string; target: string; columns: string; file: string; source: string; rows: number; seconds?: number }[] = [];
    let rows = 0;
    for (const [index, source] of sources.entries()) {
      const qualified = `"${source.schema}"."${source.table}"`;
      const target = `${FLOOR_SCHEMA}."t${index}"`;
      await knex.raw(`CREATE TABLE ${target} (LIKE ${qualified} INCLUDING ALL)`);
      const columns = (await writableColumns(knex, source.schema, source.table)).map((c) => `"${c}"`).join(', ');
      const count = Number((await knex.raw<{ rows: { n: string }[] }>(`SELECT count(*)::text AS n FROM ${qualified}`)).rows[0]!.n);
      rows += count;
      loads.push({ label: source.label, target, columns, file: join(dir, `t${index}.copy`), source: qualified, rows: count });
    }
    let method: FloorResult['method'] = 'COPY FROM file';
    if (options.serverIsLocal) {
      try {
        for (const load of loads) await knex.raw(`COPY (SELECT ${load.columns} FROM ${load.source}) TO '${load.file}'`);
      } catch (error) {
        console.warn(`COPY to a server file failed (${(error as Error).message}); measuring INSERT ... SELECT instead`);
        method = 'INSERT ... SELECT';
      }
    } else {
      method = 'INSERT ... SELECT';
    }
    const statement = (load: (typeof loads)[number]) =>
      method === 'COPY FROM file'
        ? `COPY ${load.target} (${load.columns}) FROM '${load.file}'`
        : `INSERT INTO ${load.target} (${load.columns}) SELECT ${load.columns} FROM ${load.source}`;
    // Biggest first (popped from the end), so the parallel loads finish together.
    const queue = [...loads].sort((a, b) => a.rows - b.rows);
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: options.parallel }, async () => {
        for (let load = queue.pop(); load; load = queue.pop()) {
          const loadStarted = process.hrtime.bigint();
          await knex.raw(statement(load));
          load.seconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perTable = loads.map(({ label, rows: tableRows, seconds: tableSeconds = 0 }) => ({ label, rows: tableRows, seconds: tableSeconds })).sort((a, b) => b.seconds - a.seconds);
    return { method, tables: loads.length, rows, seconds, perTable };
  } finally {
    await knex.raw(`DROP SCHEMA IF EXISTS ${FLOOR_SCHEMA} CASCADE`);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writableColumns(knex: Knex, schema: string, table: string): Promise<string[]> {
  return knex('information_schema.columns')
    .where({ table_schema: schema, table_name: table, is_generated: 'NEVER' })
    .orderBy('ordinal_position')
    .pluck('column_name');
}
