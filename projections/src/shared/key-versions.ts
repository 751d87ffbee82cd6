import type { Knex } from 'knex';
import type { ProjectionContext } from '@mpp/projection-runner';
import { keysFilter, noKeys, type Keys } from './keys-filter.js';

/**
 * A projection's per-key versions: for each read-model key the API caches answers under, the
 * position of the last event that changed it. The projector writes them in the batch's
 * transaction (so a version is never visible before its rows), the API labels answers with them
 * (ETags) and, on each commit notice, asks which keys moved after the position it has seen.
 */
export async function createKeyVersionsTable(knex: Knex, schema: string, table: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable(table, (t) => {
    t.text('key').primary();
    t.bigInteger('position').notNullable();
    // "Which keys changed after position p": each API process asks this on every change notice.
    t.index(['position'], `${table}_position`);
  });
}

/**
 * Raises each key's version to the given position; never lowers one, so a version depends on the
 * log alone, not on how it was cut into batches (the live and bulk forms write the same).
 */
export async function writeKeyVersions(ctx: ProjectionContext, table: string, versions: ReadonlyMap<string, bigint>): Promise<void> {
  if (versions.size === 0) return;
  const { sql, bindings } = keyVersionsInsert(ctx, table, versions);
  await ctx.trx.raw(sql, bindings);
}

/** A data-modifying CTE and its bindings, to put in the WITH list of another statement. */
export interface CteFragment {
  cte: string;
  bindings: Knex.RawBinding[];
}

/**
 * The write of `writeKeyVersions` as a CTE (`name AS (INSERT ...)`), for a projection to send in
 * the statement that writes its rows: one round trip less per batch. PostgreSQL runs a
 * data-modifying CTE to completion whether or not the statement reads it; an empty map writes nothing.
 */
export function keyVersionsWrite(ctx: ProjectionContext, table: string, versions: ReadonlyMap<string, bigint>, name = 'key_versions'): CteFragment {
  const { sql, bindings } = keyVersionsInsert(ctx, table, versions);
  return { cte: `${name} AS (${sql})`, bindings };
}

function keyVersionsInsert(ctx: ProjectionContext, table: string, versions: ReadonlyMap<string, bigint>): { sql: string; bindings: Knex.RawBinding[] } {
  return {
    sql: `INSERT INTO ${ctx.qualified(table)} (key, position) SELECT * FROM unnest(?::text[], ?::bigint[])
     ${raisePositionOnConflict(table)}`,
    bindings: [[...versions.keys()], [...versions.values()].map(String)],
  };
}

/** Rows that keep, per entity, the positions of the events that changed it: `table.column` by `table.id`. */
export interface PositionsByEntity {
  table: string;
  id: string;
  position: string;
  /** The key of an entity is this prefix and its id. */
  keyPrefix: string;
}

/**
 * Raises the version of each given entity (`'all'`: every entity with rows) to the greatest position
 * its rows keep. Exact where a row takes an event's position whenever that event changes the
 * entity's answer, and an entity's rows never go: then the greatest is the last such event, however
 * the log was cut into batches. A bulk finish derives every version so in one pass instead of
 * writing them batch by batch for a generation nobody reads yet.
 */
export async function writeKeyVersionsFromRows(ctx: ProjectionContext, versions: string, rows: PositionsByEntity, entities: Keys): Promise<void> {
  if (noKeys(entities)) return;
  const filter = keysFilter(rows.id, entities);
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(versions)} (key, position)
     SELECT ? || ${rows.id}, max(${rows.position}) FROM ${ctx.qualified(rows.table)} WHERE ${filter.sql} GROUP BY ${rows.id}
     ${raisePositionOnConflict(versions)}`,
    [rows.keyPrefix, ...filter.bindings],
  );
}

/**
 * The tail of an upsert of positions by key that keeps the greater of the stored and the new one, so
 * a position only rises, whatever order batches wrote in. `target` is the table's name or alias.
 */
export function raisePositionOnConflict(target: string, keyColumns: readonly string[] = ['key']): string {
  return `ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET position = greatest(${target}.position, EXCLUDED.position)`;
}

/** Raises a key's position in the map to the given one where it is later: the last touching event wins. */
export function touchKey(positions: Map<string, bigint>, key: string, position: bigint): void {
  const held = positions.get(key);
  if (held === undefined || held < position) positions.set(key, position);
}

/** A key's version as the serving generation holds it ('0' for a key nothing changed yet). */
export async function readKeyVersion(knex: Knex, table: string, key: string): Promise<string> {
  const { rows } = await knex.raw<{ rows: { position: string }[] }>(`SELECT position::text AS position FROM ${table} WHERE key = ?`, [key]);
  return rows[0]?.position ?? '0';
}

/** Keys of the table whose answers changed after `position`, oldest first, at most `limit` (the caller flushes everything beyond). */
export async function readKeysChangedAfter(knex: Knex, table: string, position: bigint, limit: number): Promise<{ key: string; position: string }[]> {
  const { rows } = await knex.raw<{ rows: { key: string; position: string }[] }>(
    `SELECT key, position::text AS position FROM ${table} WHERE position > ? ORDER BY position LIMIT ?`,
    [position.toString(), limit],
  );
  return rows;
}
