import type { Knex } from 'knex';
import { qualify } from './projection-schema.js';
import { readModelChecksums, servingSchemas } from './serving-checksums.js';

/** A read-model table that two databases hold differently, and a few of the rows that make it so. */
export interface ReadModelDifference {
  /** `projection.table`, as readModelChecksums keys it. */
  table: string;
  /** How many rows each side holds; null where that side serves no such table. */
  rowsA: number | null;
  rowsB: number | null;
  /** Rows, in their text form, that only one side holds (see differingRows). */
  onlyA: string[];
  onlyB: string[];
}

/**
 * How many read-model tables either of two databases (a build under test and a clean build of the
 * same log) serves, and every one whose checksum differs between them, with up to `limit` rows per
 * side that only it holds: what a failed comparison prints, so the run that failed says which rows,
 * not only that checksums differ. The count lets a caller tell equal read models from two empty
 * ones without reading the checksums again. `differences` is empty when the two hold the same.
 */
export async function readModelDifferences(a: Knex, b: Knex, limit = 3): Promise<{ tables: number; differences: ReadModelDifference[] }> {
  const [checksumsA, checksumsB] = await Promise.all([readModelChecksums(a), readModelChecksums(b)]);
  const tables = [...new Set([...Object.keys(checksumsA), ...Object.keys(checksumsB)])].sort();
  const differences: ReadModelDifference[] = [];
  for (const table of tables) {
    const [inA, inB] = [checksumsA[table], checksumsB[table]];
    if (inA?.rows === inB?.rows && inA?.md5 === inB?.md5) continue;
    differences.push({ table, rowsA: inA?.rows ?? null, rowsB: inB?.rows ?? null, ...(await differingRows(a, b, table, limit)) });
  }
  return { tables: tables.length, differences };
}

/**
 * Rows of one read-model table (`projection.table`, as readModelChecksums keys it) that only one of
 * two databases holds, in their text form and order, at most `limit` per side. Each side's table is
 * the one its serving generation holds, whatever that generation's number. A row held twice on one
 * side and once on the other is once in that side's list; a side that serves no such table holds
 * no rows.
 */
export async function differingRows(a: Knex, b: Knex, key: string, limit = 3): Promise<{ onlyA: string[]; onlyB: string[] }> {
  const dot = key.indexOf('.');
  const [projection, table] = [key.slice(0, dot), key.slice(dot + 1)];
  const [rowsA, rowsB] = await Promise.all([servedRows(a, projection, table), servedRows(b, projection, table)]);
  return { onlyA: beyond(rowsA, rowsB).slice(0, limit), onlyB: beyond(rowsB, rowsA).slice(0, limit) };
}

async function servedRows(knex: Knex, projection: string, table: string): Promise<string[]> {
  const schema = (await servingSchemas(knex)).get(projection);
  if (schema === undefined) return [];
  const { rows: found } = await knex.raw<{ rows: { found: boolean }[] }>('SELECT to_regclass(?) IS NOT NULL AS found', [qualify(schema, table)]);
  if (!found[0]!.found) return [];
  const { rows } = await knex.raw<{ rows: { row: string }[] }>(`SELECT t::text AS row FROM ${qualify(schema, table)} t ORDER BY 1`);
  return rows.map((r) => r.row);
}

/** The rows of `rows` left once each row of `other` has taken away one equal to it. */
function beyond(rows: string[], other: string[]): string[] {
  const unmatched = new Map<string, number>();
  for (const row of other) unmatched.set(row, (unmatched.get(row) ?? 0) + 1);
  return rows.filter((row) => {
    const count = unmatched.get(row) ?? 0;
    if (count > 0) unmatched.set(row, count - 1);
    return count === 0;
  });
}
