import type { Knex } from 'knex';
import type { CompatibilityStatus, FitmentSource } from '@mpp/domain';
import { BIKES } from '../catalog/catalog.tables.js';
import { partCompatibilityKey } from './compatibility-versions.js';
import { COMPATIBILITY_RECORDS as RECORDS, COMPATIBILITY_VERSIONS } from './compatibility.tables.js';

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

/**
 * A pair's compatibility labelled with its part's version, and whether the bike is cataloged, in
 * one statement (one snapshot: the version never labels rows older or newer than it).
 */
export async function readVersionedPairCompatibility(
  knex: Knex,
  pair: { partId: string; bikeId: string },
): Promise<{ bikeExists: boolean; found: PairCompatibility | undefined; version: string }> {
  const { rows } = await knex.raw<{
    rows: { bike_exists: boolean; status: CompatibilityStatus | null; confirmations: number | null; refutations: number | null; official_source: FitmentSource | null; version: string }[];
  }>(
    `SELECT EXISTS (SELECT 1 FROM ${BIKES} WHERE id = :bike) AS bike_exists,
            r.status, r.confirmations, r.refutations, r.official_source,
            coalesce((SELECT position::text FROM ${COMPATIBILITY_VERSIONS} WHERE key = :key), '0') AS version
       FROM (SELECT 1) one LEFT JOIN ${RECORDS} r ON r.part_id = :part AND r.bike_id = :bike`,
    { bike: pair.bikeId, part: pair.partId, key: partCompatibilityKey(pair.partId) },
  );
  const row = rows[0]!;
  const found = row.status === null ? undefined : { status: row.status, confirmations: row.confirmations!, refutations: row.refutations!, officialSource: row.official_source };
  return { bikeExists: row.bike_exists, found, version: row.version };
}
