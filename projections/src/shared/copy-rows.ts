import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ProjectionContext } from '@mpp/projection-runner';

/**
 * Rows appended with `COPY … FROM STDIN` on the batch's own connection, inside its transaction: for
 * a bulk batch's insert-only table, PostgreSQL's cheapest way in. An `INSERT … SELECT` from one
 * JSON document per batch spent half its time taking the document apart (`jsonb_to_recordset`),
 * which COPY's text format does not. No `ON CONFLICT`: only for rows nothing else writes, each once.
 *
 * Values go in COPY's text format: null as `\N`, a Date as its ISO instant, an object as JSON;
 * backslash, tab, newline and carriage return escaped.
 */
export async function copyRows<Row extends object>(ctx: ProjectionContext, table: string, columns: readonly (keyof Row & string)[], rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  // A transaction's knex client hands out the transaction's connection (and never releases it).
  const connection = (await ctx.trx.client.acquireConnection()) as Client;
  const text = rows.map((row) => columns.map((column) => copyField(row[column])).join('\t')).join('\n') + '\n';
  await pipeline(Readable.from([text]), connection.query(copyFrom(`COPY ${ctx.qualified(table)} (${columns.join(', ')}) FROM STDIN`)));
}

const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(SPECIAL, (character) => ESCAPES[character]!);
}
