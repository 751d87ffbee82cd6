import type { Knex } from 'knex';
import type { ProjectionContext } from '@mpp/projection-runner';
import { keysFilter, noKeys, type Keys } from '../shared/keys-filter.js';
import type { BatchKeys, LoadedRows, PartRow, RecordRow, StoredRecord, VerificationRow } from './compatibility-fold.js';
import { COMPATIBILITY_PARTS as PARTS, COMPATIBILITY_RECORDS as RECORDS, COMPATIBILITY_VERIFICATIONS as VERIFICATIONS } from './compatibility.tables.js';

const VERIFICATION_COLUMNS = 'verification_id, part_id, bike_id, user_id, fits, lifecycle, hidden';

/**
 * The rows a batch folds over: three queries whatever its size, fewer when it has no keys for some.
 * None reads a pair's verifications: its stored counts are recounted from the ones the batch moves.
 */
export async function loadCompatibilityRows(ctx: ProjectionContext, keys: BatchKeys): Promise<LoadedRows> {
  return {
    parts: await loadParts(ctx, keys),
    records: await loadRecords(ctx, keys),
    verifications: await loadVerifications(ctx, keys),
  };
}

async function loadParts(ctx: ProjectionContext, { partIds }: BatchKeys): Promise<PartRow[]> {
  if (partIds.length === 0) return [];
  const { rows } = await ctx.trx.raw<{ rows: PartRow[] }>(`SELECT id, category, brand, name FROM ${ctx.qualified(PARTS)} WHERE id = ANY(?::uuid[])`, [partIds]);
  return rows;
}

async function loadRecords(ctx: ProjectionContext, { pairs }: BatchKeys): Promise<StoredRecord[]> {
  if (pairs.length === 0) return [];
  const { rows } = await ctx.trx.raw<{ rows: StoredRecord[] }>(
    `SELECT part_id, bike_id, official_status, official_source, confirmations, refutations FROM ${ctx.qualified(RECORDS)}
      WHERE (bike_id, part_id) IN (SELECT * FROM unnest(?::uuid[], ?::uuid[]))`,
    [pairs.map((pair) => pair.bikeId), pairs.map((pair) => pair.partId)],
  );
  return rows;
}

/** The verifications the batch names, whichever pair they are in: a known id is not inserted again. */
async function loadVerifications(ctx: ProjectionContext, { verificationIds }: BatchKeys): Promise<VerificationRow[]> {
  if (verificationIds.length === 0) return [];
  const { rows } = await ctx.trx.raw<{ rows: VerificationRow[] }>(
    `SELECT ${VERIFICATION_COLUMNS} FROM ${ctx.qualified(VERIFICATIONS)} WHERE verification_id = ANY(?::uuid[])`,
    [verificationIds],
  );
  return rows;
}

export async function upsertParts(ctx: ProjectionContext, parts: readonly PartRow[]): Promise<void> {
  if (parts.length === 0) return;
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(PARTS)} (id, category, brand, name)
     SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[])
     ON CONFLICT (id) DO UPDATE SET category = EXCLUDED.category, brand = EXCLUDED.brand, name = EXCLUDED.name`,
    [parts.map((p) => p.id), parts.map((p) => p.category), parts.map((p) => p.brand), parts.map((p) => p.name)],
  );
}

export async function upsertVerifications(ctx: ProjectionContext, verifications: readonly VerificationRow[]): Promise<void> {
  if (verifications.length === 0) return;
  const column = (key: keyof VerificationRow) => verifications.map((row) => row[key]) as Knex.Value;
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(VERIFICATIONS)} (${VERIFICATION_COLUMNS})
     SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::boolean[], ?::text[], ?::boolean[])
     ON CONFLICT (verification_id) DO UPDATE SET lifecycle = EXCLUDED.lifecycle, hidden = EXCLUDED.hidden`,
    [column('verification_id'), column('part_id'), column('bike_id'), column('user_id'), column('fits'), column('lifecycle'), column('hidden')],
  );
}

export async function upsertRecords(ctx: ProjectionContext, records: readonly RecordRow[]): Promise<void> {
  if (records.length === 0) return;
  // node-postgres sends a JS array, nulls included, as one array parameter.
  const column = (key: keyof RecordRow) => records.map((row) => row[key]) as Knex.Value;
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(RECORDS)}
       (bike_id, part_id, status, status_rank, confirmations, refutations, official_status, official_source,
        part_category, part_brand, part_name, last_event_at, last_position)
     SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::smallint[], ?::int[], ?::int[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::bigint[])
     ON CONFLICT (bike_id, part_id) DO UPDATE SET
       status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
       confirmations = EXCLUDED.confirmations, refutations = EXCLUDED.refutations,
       official_status = EXCLUDED.official_status, official_source = EXCLUDED.official_source,
       part_category = EXCLUDED.part_category, part_brand = EXCLUDED.part_brand, part_name = EXCLUDED.part_name,
       last_event_at = EXCLUDED.last_event_at, last_position = EXCLUDED.last_position`,
    [
      column('bike_id'),
      column('part_id'),
      column('status'),
      column('status_rank'),
      column('confirmations'),
      column('refutations'),
      column('official_status'),
      column('official_source'),
      column('part_category'),
      column('part_brand'),
      column('part_name'),
      records.map((row) => row.last_event_at.toISOString()),
      records.map((row) => row.last_position.toString()),
    ],
  );
}

/**
 * Every record of the given parts, loaded by the batch or not, takes the part's fields as they now
 * stand; `'all'`: every record of every part (a bulk catch-up's finish, after batches that left
 * the records of revised parts they did not touch for it). The parts are named once: naming them
 * for the records too made the planner test each record index probe against the whole list.
 */
export async function copyPartFieldsIntoRecords(ctx: ProjectionContext, partIds: Keys): Promise<void> {
  if (noKeys(partIds)) return;
  const parts = keysFilter('p.id', partIds);
  await ctx.trx.raw(
    `UPDATE ${ctx.qualified(RECORDS)} r
        SET part_category = p.category, part_brand = p.brand, part_name = p.name
       FROM ${ctx.qualified(PARTS)} p
      WHERE ${parts.sql} AND r.part_id = p.id
        AND (r.part_category, r.part_brand, r.part_name) IS DISTINCT FROM (p.category, p.brand, p.name)`,
    parts.bindings,
  );
}
