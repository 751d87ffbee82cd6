import type { Knex } from 'knex';
import type { VerificationLifecycle } from '@mpp/domain';
import { partVerificationsKey } from './verification-log-versions.js';
import { VERIFICATION_LOG as LOG, VERIFICATION_LOG_VERSIONS } from './verification-log.tables.js';

/**
 * The reads the API makes of the verification log's public view, so its name and columns are
 * spelled in this package alone. Each is one statement over the serving generation.
 */

/** The pair (hence the fitment stream) of a logged verification. */
export async function readVerificationPair(knex: Knex, verificationId: string): Promise<{ partId: string; bikeId: string } | undefined> {
  const row: { part_id: string; bike_id: string } | undefined = await knex(LOG).where({ verification_id: verificationId }).first('part_id', 'bike_id');
  return row && { partId: row.part_id, bikeId: row.bike_id };
}

export interface RiderVerification {
  verification_id: string;
  bike_id: string;
  lifecycle: VerificationLifecycle;
}

/** One rider's verifications of a part, newest first. */
export async function readRiderVerificationsOfPart(knex: Knex, userId: string, partId: string): Promise<RiderVerification[]> {
  return knex(LOG).where({ user_id: userId, part_id: partId }).orderBy('position', 'desc').select('verification_id', 'bike_id', 'lifecycle');
}

/** A row of a part's audit trail; `state` is `hidden` for a hidden verification, else its lifecycle. */
export interface AuditTrailRow {
  verification_id: string;
  bike_id: string;
  user_id: string;
  fits: boolean;
  notes: string | null;
  state: VerificationLifecycle | 'hidden';
  submitted_at: Date;
  event_id: string;
  position: string;
  hash: string | null;
  prev_hash: string | null;
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

/**
 * The riders (uuids) of a part's trail (of one bike, if given), as a subquery for a statement that names
 * them on the same database, so the names need not wait for the trail's rows.
 */
export function trailContributorIds(knex: Knex, partId: string, bikeId?: string): Knex.QueryBuilder {
  // The log keeps user ids as text; as uuids they meet users' primary key.
  const contributors = knex(LOG).where({ part_id: partId }).distinct(knex.raw('user_id::uuid'));
  return bikeId === undefined ? contributors : contributors.andWhere({ bike_id: bikeId });
}

/** A verification that counts (active, visible) with the catalog fields the home page shows. */
export interface RecentVerificationRow {
  verification_id: string;
  user_id: string;
  fits: boolean;
  submitted_at: Date;
  part_id: string;
  part_slug: string;
  brand: string;
  part_name: string;
  category: string;
  bike_id: string;
  bike_slug: string;
  year: number;
  make: string;
  model: string;
  trim: string | null;
}

/** The newest active, visible verifications across the catalog (joined with the catalog's views). */
export async function readRecentVerifications(knex: Knex, limit: number): Promise<RecentVerificationRow[]> {
  return knex(`${LOG} as v`)
    .join('parts as p', 'p.id', 'v.part_id')
    .join('bikes as b', 'b.id', 'v.bike_id')
    .where('v.lifecycle', 'active')
    .andWhere('v.hidden', false)
    .orderBy('v.position', 'desc')
    .limit(limit)
    .select(
      'v.verification_id', 'v.user_id', 'v.fits', 'v.submitted_at',
      'p.id as part_id', 'p.slug as part_slug', 'p.brand', 'p.name as part_name', 'p.category',
      'b.id as bike_id', 'b.slug as bike_slug', 'b.year', 'b.make', 'b.model', 'b.trim',
    );
}

/** How many visible verifications of the parts (a list, or a query selecting `part_id`s) were submitted in [from, to). */
export async function countVisibleVerificationsSubmitted(knex: Knex, partIds: readonly string[] | Knex.QueryBuilder, from: Date, to: Date): Promise<number> {
  const [row] = await knex(LOG)
    .whereIn('part_id', partIds as string[] | Knex.QueryBuilder)
    .where('submitted_at', '>=', from)
    .where('submitted_at', '<', to)
    .where('hidden', false)
    .count<{ count: string }[]>({ count: '*' });
  return Number(row!.count);
}
