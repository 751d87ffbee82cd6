import type { Knex } from 'knex';
import {
  COMPATIBILITY_STATUSES,
  compatibilityStatus,
  countVerifications,
  parseStreamName,
  type CompatibilityStatus,
  type FitmentSource,
  type VerificationLifecycle,
} from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { dataOf, occurredAt } from './recorded-event.js';

const RECORDS = 'compatibility_records';
/** Private state (no public view): one row per verification, enough to recount a pair. */
const VERIFICATIONS = 'compatibility_verifications';
/** Private state: the part fields copied into the records so the bike-parts query needs no join. */
const PARTS = 'compatibility_parts';

/**
 * Compatibility of each (part, bike) pair with evidence, per DESIGN §4: the official fitment and
 * every verification's lifecycle are kept so the counts can be recomputed after any event, and the
 * status comes from the domain's own rules (`countVerifications`, `compatibilityStatus`).
 *
 * Policy `stop`: a skipped fitment event would leave a status silently wrong (a withdrawn fitment
 * still "verified", a hidden refutation still counted). Stale but right beats fresh but wrong for
 * the claim "this part fits your bike"; the runner reports the failure.
 */
export const compatibilityProjection = defineProjection({
  name: 'compatibility',
  version: 1,
  tables: [RECORDS],
  onPoisonEvent: 'stop',
  createTables,
  handlers: {
    PartCataloged: async (event, ctx) => {
      const { partId, category, brand, name } = dataOf(event, 'PartCataloged');
      await ctx.table(PARTS).insert({ id: partId, category, brand, name }).onConflict('id').ignore();
      await copyPartFieldsIntoRecords(ctx, partId);
    },

    PartDetailsRevised: async (event, ctx) => {
      const { partId, category, brand, name } = dataOf(event, 'PartDetailsRevised');
      const changed = {
        ...(category === undefined ? {} : { category }),
        ...(brand === undefined ? {} : { brand }),
        ...(name === undefined ? {} : { name }),
      };
      // Description and attribute revisions do not touch the denormalised columns.
      if (Object.keys(changed).length === 0) return;
      await ctx.table(PARTS).where({ id: partId }).update(changed);
      await copyPartFieldsIntoRecords(ctx, partId);
    },

    FitmentPublished: async (event, ctx) => {
      const { partId, bikeId, source } = dataOf(event, 'FitmentPublished');
      await upsertRecord(ctx, { partId, bikeId }, { status: 'published', source });
      await recount(ctx, { partId, bikeId }, event);
    },

    FitmentWithdrawn: async (event, ctx) => {
      const { partId, bikeId } = dataOf(event, 'FitmentWithdrawn');
      await upsertRecord(ctx, { partId, bikeId }, { status: 'withdrawn', source: null });
      await recount(ctx, { partId, bikeId }, event);
    },

    VerificationSubmitted: async (event, ctx) => {
      const { verificationId, partId, bikeId, userId, fits, supersedes } = dataOf(event, 'VerificationSubmitted');
      await upsertRecord(ctx, { partId, bikeId });
      await ctx
        .table(VERIFICATIONS)
        .insert({ verification_id: verificationId, part_id: partId, bike_id: bikeId, user_id: userId, fits, lifecycle: 'active', hidden: false })
        .onConflict('verification_id')
        .ignore();
      if (supersedes !== undefined) {
        await setLifecycle(ctx, { partId, bikeId }, supersedes, 'superseded');
      }
      await recount(ctx, { partId, bikeId }, event);
    },

    VerificationRetracted: async (event, ctx) => {
      const { verificationId } = dataOf(event, 'VerificationRetracted');
      const pair = pairOfStream(event);
      await upsertRecord(ctx, pair);
      await setLifecycle(ctx, pair, verificationId, 'retracted');
      await recount(ctx, pair, event);
    },

    VerificationModerated: async (event, ctx) => {
      const { verificationId, action } = dataOf(event, 'VerificationModerated');
      const pair = pairOfStream(event);
      await upsertRecord(ctx, pair);
      // Hiding is independent of the lifecycle: a restored verification counts again only if still active.
      await ctx.table(VERIFICATIONS).where({ verification_id: verificationId, ...pairColumns(pair) }).update({ hidden: action === 'hidden' });
      await recount(ctx, pair, event);
    },
  },
});

interface Pair {
  partId: string;
  bikeId: string;
}

const pairColumns = ({ partId, bikeId }: Pair) => ({ part_id: partId, bike_id: bikeId });

/** Retractions and moderations name only the verification; the stream names the pair. */
function pairOfStream(event: RecordedEvent): Pair {
  const parsed = parseStreamName(event.streamId);
  if (parsed?.kind !== 'fitment') throw new Error(`${event.type} in stream ${event.streamId}, which is not a fitment stream`);
  return { partId: parsed.partId, bikeId: parsed.bikeId };
}

/** Smaller is stronger evidence, so "best first" is an ascending index scan. */
const statusRank = (status: CompatibilityStatus): number => COMPATIBILITY_STATUSES.indexOf(status);

type OfficialChange = { status: 'published'; source: FitmentSource } | { status: 'withdrawn'; source: null };

/**
 * Creates the pair's row (with the part's current category, brand and name) or, for an official
 * fitment event, records the new official state on it. Verification events leave the official
 * state as it is.
 */
async function upsertRecord(ctx: ProjectionContext, pair: Pair, official?: OfficialChange): Promise<void> {
  const onConflict = official
    ? 'DO UPDATE SET official_status = EXCLUDED.official_status, official_source = EXCLUDED.official_source'
    : 'DO NOTHING';
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(RECORDS)}
       (bike_id, part_id, official_status, official_source, part_category, part_brand, part_name)
     SELECT ?, ?, ?, ?, p.category, p.brand, p.name
       FROM (SELECT 1) AS one LEFT JOIN ${ctx.qualified(PARTS)} p ON p.id = ?
     ON CONFLICT (bike_id, part_id) ${onConflict}`,
    [pair.bikeId, pair.partId, official?.status ?? 'none', official?.source ?? null, pair.partId],
  );
}

/** Like the fitment decider's evolve, an unknown verification id changes nothing. */
async function setLifecycle(ctx: ProjectionContext, pair: Pair, verificationId: string, lifecycle: VerificationLifecycle): Promise<void> {
  await ctx.table(VERIFICATIONS).where({ verification_id: verificationId, ...pairColumns(pair) }).update({ lifecycle });
}

interface VerificationGroup {
  fits: boolean;
  lifecycle: VerificationLifecycle;
  hidden: boolean;
  count: number;
}

/**
 * Recounts the pair and sets its status. The verifications are read grouped (at most 12 groups)
 * and handed to the domain's `countVerifications`, so which verifications count is decided in one
 * place, the domain, not restated here in SQL.
 */
async function recount(ctx: ProjectionContext, pair: Pair, event: RecordedEvent): Promise<void> {
  const groups: VerificationGroup[] = await ctx
    .table(VERIFICATIONS)
    .where(pairColumns(pair))
    .groupBy('fits', 'lifecycle', 'hidden')
    .select('fits', 'lifecycle', 'hidden')
    .count({ count: '*' });
  const counts = countVerifications(groups.flatMap((group) => Array.from({ length: Number(group.count) }, () => group)));
  const { official_status: officialStatus } = await ctx.table(RECORDS).where(pairColumns(pair)).first('official_status');
  const status = compatibilityStatus({ ...counts, officialPublished: officialStatus === 'published' });
  await ctx
    .table(RECORDS)
    .where(pairColumns(pair))
    .update({
      status,
      status_rank: statusRank(status),
      confirmations: counts.confirmations,
      refutations: counts.refutations,
      last_event_at: occurredAt(event),
      last_position: event.position.toString(),
    });
}

async function copyPartFieldsIntoRecords(ctx: ProjectionContext, partId: string): Promise<void> {
  await ctx.trx.raw(
    `UPDATE ${ctx.qualified(RECORDS)} r
        SET part_category = p.category, part_brand = p.brand, part_name = p.name
       FROM ${ctx.qualified(PARTS)} p
      WHERE p.id = ? AND r.part_id = p.id`,
    [partId],
  );
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable(RECORDS, (t) => {
    t.uuid('bike_id').notNullable();
    t.uuid('part_id').notNullable();
    t.text('status').notNullable().defaultTo('no_data');
    t.smallint('status_rank').notNullable().defaultTo(statusRank('no_data'));
    t.integer('confirmations').notNullable().defaultTo(0);
    t.integer('refutations').notNullable().defaultTo(0);
    // none | published | withdrawn; official_source is set only while published.
    t.text('official_status').notNullable().defaultTo('none');
    t.text('official_source');
    // Copied from the part so filters, facets and the name sort of the bike-parts query need no join.
    t.text('part_category');
    t.text('part_brand');
    t.text('part_name');
    t.timestamp('last_event_at', { useTz: true });
    t.bigInteger('last_position');
    t.primary(['bike_id', 'part_id']);
  });
  const records = qualify(schema, RECORDS);
  // GET /api/bikes/:id/parts, default order (strongest evidence first), optionally ?status.
  await knex.raw(`CREATE INDEX compatibility_records_bike_status ON ${records} (bike_id, status_rank, confirmations DESC)`);
  // The same with ?category (the usual path from the UI), and the category facet.
  await knex.raw(`CREATE INDEX compatibility_records_bike_category_status ON ${records} (bike_id, part_category, status_rank, confirmations DESC)`);
  // ?brand and the brand facet.
  await knex.raw(`CREATE INDEX compatibility_records_bike_brand ON ${records} (bike_id, part_brand)`);
  // The part page's fitment summary, and keeping the copied part fields in sync.
  await knex.raw(`CREATE INDEX compatibility_records_part_status ON ${records} (part_id, status_rank)`);

  await knex.schema.withSchema(schema).createTable(VERIFICATIONS, (t) => {
    t.uuid('verification_id').primary();
    t.uuid('part_id').notNullable();
    t.uuid('bike_id').notNullable();
    t.text('user_id').notNullable();
    t.boolean('fits').notNullable();
    t.text('lifecycle').notNullable();
    t.boolean('hidden').notNullable();
    t.index(['part_id', 'bike_id'], 'compatibility_verifications_pair');
  });

  await knex.schema.withSchema(schema).createTable(PARTS, (t) => {
    t.uuid('id').primary();
    t.text('category').notNullable();
    t.text('brand').notNullable();
    t.text('name').notNullable();
  });
}
