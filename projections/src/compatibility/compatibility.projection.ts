import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { compatibilityFactOf, foldCompatibility, keysOf, statusRank, type CompatibilityFact } from './compatibility-fold.js';
import { createReaderIndexes, readerIndexHooks, type ReaderIndex } from '../shared/reader-indexes.js';
import { writeCompatibilityVersions, writeCompatibilityVersionsOfRecords } from './compatibility-versions.js';
import { createKeyVersionsTable } from '../shared/key-versions.js';
import { copyPartFieldsIntoRecords, loadCompatibilityRows, upsertParts, upsertRecords, upsertVerifications } from './compatibility-rows.js';
import { COMPATIBILITY_PARTS as PARTS, COMPATIBILITY_RECORDS as RECORDS, COMPATIBILITY_VERIFICATIONS as VERIFICATIONS, COMPATIBILITY_VERSIONS } from './compatibility.tables.js';

/**
 * Compatibility of each (part, bike) pair with evidence, per DESIGN §4: the official fitment and
 * every verification's lifecycle are kept so the counts can be recomputed after any event, and the
 * status comes from the domain's own rules (`countVerifications`, `compatibilityStatus`).
 *
 * Set-based, because a rebuild replays hundreds of thousands of fitment events: a batch reads what
 * its parts, pairs and verification ids need (three queries; a pair's stored counts, never its
 * verifications), folds its events in memory (`foldCompatibility`) and writes each table once, then copies the
 * fields of the parts it cataloged or revised into all their records, including pairs the batch
 * did not touch.
 *
 * Policy `stop`: a skipped fitment event would leave a status silently wrong (a withdrawn fitment
 * still "verified", a hidden refutation still counted). Stale but right beats fresh but wrong for
 * the claim "this part fits your bike"; the runner reports the failure.
 */
/** The bike-parts list's indexes; no statement of the projection reads by them. */
const COMPATIBILITY_READER_INDEXES: readonly ReaderIndex[] = [
  // GET /api/bikes/:id/parts, default order (strongest evidence first), optionally ?status.
  { name: 'compatibility_records_bike_status', table: RECORDS, definition: '(bike_id, status_rank, confirmations DESC)' },
  // The same with ?category (the usual path from the UI), and the category facet.
  { name: 'compatibility_records_bike_category_status', table: RECORDS, definition: '(bike_id, part_category, status_rank, confirmations DESC)' },
  // ?brand and the brand facet.
  { name: 'compatibility_records_bike_brand', table: RECORDS, definition: '(bike_id, part_brand)' },
];

/**
 * The records by part: the part page's fitment summary reads by it, and a live batch's
 * `copyPartFieldsIntoRecords` finds a revised part's records by it (bike-listings' live batches, a
 * re-priced part's listed bikes). A bulk batch leaves all of that to the finish, so a bulk load
 * defers this index with the readers'.
 */
const RECORDS_BY_PART: ReaderIndex = { name: 'compatibility_records_part_status', table: RECORDS, definition: '(part_id, status_rank)' };
/** The records' indexes no bulk batch reads by: built after a bulk load (here and in bike-listings' copy). */
export const COMPATIBILITY_BULK_DEFERRED_INDEXES: readonly ReaderIndex[] = [...COMPATIBILITY_READER_INDEXES, RECORDS_BY_PART];
const BULK_DEFERRED_INDEXES = readerIndexHooks(COMPATIBILITY_BULK_DEFERRED_INDEXES);

export const compatibilityProjection = defineProjection({
  name: 'compatibility',
  // 2: compatibility_versions, the per-part versions of the records (answer cache, ETags).
  version: 2,
  tables: [RECORDS, COMPATIBILITY_VERSIONS],
  keyVersions: COMPATIBILITY_VERSIONS,
  onPoisonEvent: 'stop',
  createTables,
  eventTypes: ['PartCataloged', 'PartDetailsRevised', 'FitmentPublished', 'FitmentWithdrawn', 'VerificationSubmitted', 'VerificationRetracted', 'VerificationModerated'],
  applyBatch: (events, ctx) => applyCompatibilityBatch(events, ctx, { bulk: false }),
  // Already set-based; catching up for a generation nobody reads yet, without the readers' indexes
  // and with the versions derived once at the end.
  bulk: {
    applyBatch: (events, ctx) => applyCompatibilityBatch(events, ctx, { bulk: true }),
    dropReaderIndexes: BULK_DEFERRED_INDEXES.drop,
    finish: async (ctx) => {
      await copyPartFieldsIntoRecords(ctx, 'all');
      await writeCompatibilityVersionsOfRecords(ctx);
      await BULK_DEFERRED_INDEXES.create(ctx);
    },
  },
});

async function applyCompatibilityBatch(events: readonly RecordedEvent[], ctx: ProjectionContext, mode: { bulk: boolean }): Promise<void> {
  const facts = events.map(compatibilityFactOf);
  await applyCompatibilityFacts(facts, ctx, mode);
  // A bulk catch-up derives them all from the records in its finish.
  if (!mode.bulk) await writeCompatibilityVersions(ctx, facts);
}

/**
 * The tables of a batch's facts, without the per-part versions: bike-listings keeps these tables as
 * its state, and its own versions (a compatibility version in its schema would have no reader).
 *
 * A bulk batch leaves the records of a revised part that it did not touch as they were (the ones it
 * touched carry the part's fields already): a revision that renames a part is then applied to its
 * records once, by the finish's `copyPartFieldsIntoRecords(ctx, 'all')`, not once per batch, and a
 * batch's stored records are never read again just to compare their part fields.
 */
export async function applyCompatibilityFacts(facts: readonly CompatibilityFact[], ctx: ProjectionContext, mode: { bulk: boolean }): Promise<void> {
  const writes = foldCompatibility(facts, await loadCompatibilityRows(ctx, keysOf(facts)));
  await upsertParts(ctx, writes.parts);
  await upsertVerifications(ctx, writes.verifications);
  await upsertRecords(ctx, writes.records);
  if (!mode.bulk) await copyPartFieldsIntoRecords(ctx, writes.parts.map((part) => part.id));
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
  await createReaderIndexes(knex, (name) => qualify(schema, name), COMPATIBILITY_BULK_DEFERRED_INDEXES);

  await knex.schema.withSchema(schema).createTable(VERIFICATIONS, (t) => {
    t.uuid('verification_id').primary();
    t.uuid('part_id').notNullable();
    t.uuid('bike_id').notNullable();
    t.text('user_id').notNullable();
    t.boolean('fits').notNullable();
    t.text('lifecycle').notNullable();
    t.boolean('hidden').notNullable();
  });
  await createKeyVersionsTable(knex, schema, COMPATIBILITY_VERSIONS);

  await knex.schema.withSchema(schema).createTable(PARTS, (t) => {
    t.uuid('id').primary();
    t.text('category').notNullable();
    t.text('brand').notNullable();
    t.text('name').notNullable();
  });
}
