import type { Knex } from 'knex';
import type { CompatibilityStatus, FitmentSource } from '@mpp/domain';
import { COMPATIBILITY_RECORDS as RECORDS } from './compatibility.tables.js';

/**
 * The reads the API and the tools make of the compatibility projection's public view, so its name
 * and columns are spelled in this package alone. Each is one statement over the serving generation.
 */

export interface PairCompatibility {
  status: CompatibilityStatus;
  confirmations: number;
  refutations: number;
  officialSource: FitmentSource | null;
}

/** The status of each of the parts (a list, or a query selecting `part_id`s) that has a record on the bike. */
export async function readPartStatusesOnBike(knex: Knex, bikeId: string, partIds: readonly string[] | Knex.QueryBuilder): Promise<Map<string, CompatibilityStatus>> {
  const rows: { part_id: string; status: CompatibilityStatus }[] = await knex(RECORDS)
    .where('bike_id', bikeId)
    .whereIn('part_id', partIds as string[] | Knex.QueryBuilder)
    .select('part_id', 'status');
  return new Map(rows.map((row) => [row.part_id, row.status]));
}

export interface PairEvidence {
  part_id: string;
  bike_id: string;
  confirmations: number;
  refutations: number;
}

/** Pairs of one status (and, if given, that many confirmations), in (part, bike) order, at most `limit`. */
export async function readPairsWithStatus(knex: Knex, filter: { status: CompatibilityStatus; confirmations?: number }, limit: number): Promise<PairEvidence[]> {
  return knex(RECORDS)
    .where('status', filter.status)
    .modify((query) => {
      if (filter.confirmations !== undefined) query.where('confirmations', filter.confirmations);
    })
    .orderBy(['part_id', 'bike_id'])
    .limit(limit)
    .select('part_id', 'bike_id', 'confirmations', 'refutations');
}

export interface OrphanRecord {
  part_id: string;
  bike_id: string;
  part_missing: boolean;
  bike_missing: boolean;
}

/** Records naming a part or bike the catalog's views do not have (a parked event, or a bug), at most `limit`. */
export async function readOrphanRecords(knex: Knex, limit: number): Promise<OrphanRecord[]> {
  return knex(`${RECORDS} as cr`)
    .leftJoin('parts as p', 'p.id', 'cr.part_id')
    .leftJoin('bikes as b', 'b.id', 'cr.bike_id')
    .where((q) => q.whereNull('p.id').orWhereNull('b.id'))
    .limit(limit)
    .select('cr.part_id', 'cr.bike_id', knex.raw('p.id IS NULL AS part_missing'), knex.raw('b.id IS NULL AS bike_missing'));
}
