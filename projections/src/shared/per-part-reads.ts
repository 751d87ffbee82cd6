import type { Knex } from 'knex';
import type { CompatibilityStatus, FitmentSource } from '@mpp/domain';
import { BIKES } from '../catalog/catalog.tables.js';
import { COMPATIBILITY_RECORDS as RECORDS } from '../compatibility/compatibility.tables.js';
import { COMPATIBILITY_VERSIONS, VERIFICATION_LOG_VERSIONS, partCompatibilityKey, partVerificationsKey } from './per-part-versions.js';
import type { PairCompatibility } from '../compatibility/compatibility-reads.js';
import type { AuditTrailRow } from '../verification-log/verification-log-reads.js';
import { VERIFICATION_LOG as LOG } from '../verification-log/verification-log.tables.js';

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

/** A part's audit trail (of one bike, if given), newest first, labelled with the part's trail version in the same snapshot. */
export async function readVersionedPartAuditTrail(knex: Knex, partId: string, bikeId?: string): Promise<{ rows: AuditTrailRow[]; version: string }> {
  const { rows } = await knex.raw<{ rows: (AuditTrailRow & { version: string })[] }>(
    `WITH label AS (SELECT coalesce((SELECT position::text FROM ${VERIFICATION_LOG_VERSIONS} WHERE key = :key), '0') AS version)
     SELECT label.version, t.* FROM label LEFT JOIN LATERAL (
       SELECT verification_id, bike_id, user_id, fits, notes, state, submitted_at, event_id, position, hash, prev_hash
         FROM ${LOG} WHERE part_id = :part${bikeId === undefined ? '' : ' AND bike_id = :bike'} ORDER BY position DESC) t ON true`,
    { key: partVerificationsKey(partId), part: partId, ...(bikeId === undefined ? {} : { bike: bikeId }) },
  );
  const version = rows[0]!.version;
  return { version, rows: rows.filter((row) => row.verification_id !== null).map(({ version: _label, ...row }) => row) };
}
