import type { Knex } from '@mpp/db';
import { readOrphanRecords, readPairsWithStatus, BUILDS, BUILD_PARTS, BIKES, PARTS, RETAILERS, PART_PRICES } from '@mpp/projections';

export const FINDING_KINDS = [
  'stale-price',
  'orphan-compatibility-record',
  'orphan-build-part',
  'orphan-build-bike',
  'orphan-price',
  'single-confirmation',
  'disputed-fitment',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  /** Ids of what the finding is about; never personal data. */
  subject: Record<string, string>;
  detail: string;
}

/** Per kind; a catalogue so broken that it has more is reported as capped rather than stored whole. */
export const MAX_FINDINGS_PER_KIND = 10_000;

/** DESIGN §4: a price older than 24 h is stale. */
const STALE_AFTER = "interval '24 hours'";

type Check = (knex: Knex, now: Date) => Promise<Finding[]>;

/**
 * One check per kind, each one query over the public read-model views. Orphans are rows that
 * name a part, bike, retailer or build the catalog (or builds) projection does not have: a
 * projection that parked an event, or a bug. Low confidence is the fitment status's weakest
 * evidence: community status resting on one rider, and disputed pairs.
 */
export const DATA_QUALITY_CHECKS: Readonly<Record<FindingKind, Check>> = {
  'stale-price': async (knex, now) => {
    const rows = await knex(PART_PRICES)
      .where('observed_at', '<', knex.raw(`?::timestamptz - ${STALE_AFTER}`, [now]))
      .orderBy('observed_at')
      .limit(MAX_FINDINGS_PER_KIND)
      .select('part_id', 'retailer_id', 'observed_at');
    return rows.map((r: { part_id: string; retailer_id: string; observed_at: Date }) => ({
      kind: 'stale-price' as const,
      subject: { partId: r.part_id, retailerId: r.retailer_id },
      detail: `last observed ${new Date(r.observed_at).toISOString()}`,
    }));
  },

  'orphan-compatibility-record': async (knex) => {
    const rows = await readOrphanRecords(knex, MAX_FINDINGS_PER_KIND);
    return rows.map((r) => ({
      kind: 'orphan-compatibility-record' as const,
      subject: { partId: r.part_id, bikeId: r.bike_id },
      detail: missing({ part: r.part_missing, bike: r.bike_missing }),
    }));
  },

  'orphan-build-part': async (knex) => {
    const rows = await knex(`${BUILD_PARTS} as bp`)
      .leftJoin(`${PARTS} as p`, 'p.id', 'bp.part_id')
      .leftJoin(`${BUILDS} as b`, 'b.id', 'bp.build_id')
      .where((q) => q.whereNull('p.id').orWhereNull('b.id').orWhere('b.deleted', true))
      .limit(MAX_FINDINGS_PER_KIND)
      .select('bp.build_id', 'bp.part_id', knex.raw('p.id IS NULL AS part_missing'), knex.raw('(b.id IS NULL OR b.deleted) AS build_missing'));
    return rows.map((r: { build_id: string; part_id: string; part_missing: boolean; build_missing: boolean }) => ({
      kind: 'orphan-build-part' as const,
      subject: { buildId: r.build_id, partId: r.part_id },
      detail: missing({ part: r.part_missing, build: r.build_missing }),
    }));
  },

  'orphan-build-bike': async (knex) => {
    const rows = await knex(`${BUILDS} as b`)
      .leftJoin(`${BIKES} as k`, 'k.id', 'b.bike_id')
      .where('b.deleted', false)
      .whereNull('k.id')
      .limit(MAX_FINDINGS_PER_KIND)
      .select('b.id', 'b.bike_id');
    return rows.map((r: { id: string; bike_id: string }) => ({
      kind: 'orphan-build-bike' as const,
      subject: { buildId: r.id, bikeId: r.bike_id },
      detail: 'bike missing from the catalog',
    }));
  },

  'orphan-price': async (knex) => {
    const rows = await knex(`${PART_PRICES} as pp`)
      .leftJoin(`${PARTS} as p`, 'p.id', 'pp.part_id')
      .leftJoin(`${RETAILERS} as r`, 'r.id', 'pp.retailer_id')
      .where((q) => q.whereNull('p.id').orWhereNull('r.id'))
      .limit(MAX_FINDINGS_PER_KIND)
      .select('pp.part_id', 'pp.retailer_id', knex.raw('p.id IS NULL AS part_missing'), knex.raw('r.id IS NULL AS retailer_missing'));
    return rows.map((r: { part_id: string; retailer_id: string; part_missing: boolean; retailer_missing: boolean }) => ({
      kind: 'orphan-price' as const,
      subject: { partId: r.part_id, retailerId: r.retailer_id },
      detail: missing({ part: r.part_missing, retailer: r.retailer_missing }),
    }));
  },

  'single-confirmation': async (knex) => {
    const rows = await readPairsWithStatus(knex, { status: 'community', confirmations: 1 }, MAX_FINDINGS_PER_KIND);
    return rows.map((r) => ({
      kind: 'single-confirmation' as const,
      subject: { partId: r.part_id, bikeId: r.bike_id },
      detail: `community status on a single rider's confirmation (${r.refutations} refutations)`,
    }));
  },

  'disputed-fitment': async (knex) => {
    const rows = await readPairsWithStatus(knex, { status: 'disputed' }, MAX_FINDINGS_PER_KIND);
    return rows.map((r) => ({
      kind: 'disputed-fitment' as const,
      subject: { partId: r.part_id, bikeId: r.bike_id },
      detail: `${r.confirmations} confirmations, ${r.refutations} refutations`,
    }));
  },
};

function missing(what: Record<string, boolean>): string {
  const names = Object.entries(what).filter(([, isMissing]) => isMissing).map(([name]) => name);
  return `${names.join(' and ')} missing from the read models`;
}
