import type { Knex } from '@mpp/db';

/** Second key under which partition DDL serialises (first key: the namespace of this feature). */
const PARTITION_LOCK: [number, number] = [7008, 1];

export function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

export function addMonths(month: Date, count: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + count, 1));
}

/** `affiliate_clicks_y2026m11` holds clicks from 2026-11-01T00:00Z (inclusive) to 2026-12-01T00:00Z. */
export function partitionNameFor(date: Date): string {
  const month = monthStart(date);
  return `affiliate_clicks_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Creates the month's partition unless it exists; true when it was created. Serialised by an advisory
 * lock, so the maintenance job and a click that found no partition cannot both try to create it.
 */
export async function ensureMonthlyPartition(knex: Knex, date: Date): Promise<boolean> {
  const from = monthStart(date);
  const name = partitionNameFor(from);
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?, ?)', PARTITION_LOCK);
    const { rows } = await trx.raw<{ rows: { exists: boolean }[] }>('SELECT to_regclass(?) IS NOT NULL AS exists', [name]);
    if (rows[0]?.exists) return false;
    // The API's role may not own affiliate_clicks; migration 0018's function creates the partition
    // with the owner's rights, naming and bounding it from the month alone.
    const created = await trx.raw<{ rows: { created: boolean }[] }>('SELECT mpp_create_affiliate_partition(?::timestamptz) AS created', [from.toISOString()]);
    return created.rows[0]!.created;
  });
}

/** The partitions that exist, oldest first (for the maintenance job's report and the tests). */
export async function listPartitions(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { name: string }[] }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'affiliate_clicks' ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}
