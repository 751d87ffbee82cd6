import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, type ProjectionContext } from '@mpp/projection-runner';
import {
  bikeRowOf,
  catalogLookups,
  foldCatalog,
  freeSlugAmong,
  partRowOf,
  partSlugCandidates,
  retailerRowOf,
  revisedFields,
  type PartPatch,
  type UnknownRevision,
} from './catalog-fold.js';
import { dataOf, occurredAt } from '../shared/recorded-event.js';
import { insertUnnest } from '../shared/unnest-insert.js';
import { BIKES, PARTS, RETAILERS } from './catalog.tables.js';

/**
 * The catalog as riders browse it: bikes (the year -> make -> model cascade, slug pages), parts
 * (slug pages, category and brand filters) and retailers.
 *
 * Slugs are assigned once, when the entity is registered, and never change afterwards: they are
 * public URLs that search engines index, so a later rename (PartDetailsRevised) keeps the slug.
 * Part slugs are `{brand}-{name}`; when another part already holds that, `{brand}-{name}-{sku}`
 * (the first cataloged part keeps the short one, which replays identically because the log does).
 */
export const catalogProjection = defineProjection({
  name: 'catalog',
  version: 1,
  tables: [BIKES, PARTS, RETAILERS],
  // One malformed catalog event must not freeze the whole catalog; the dead letter is reported.
  onPoisonEvent: 'park',
  createTables,
  handlers: {
    BikeRegistered: async (event, ctx) => {
      // Bike ids are derived from the slug, so a second registration of the same id is a retry.
      await ctx.table(BIKES).insert(bikeRowOf(event)).onConflict('id').ignore();
    },

    PartCataloged: async (event, ctx) => {
      const part = dataOf(event, 'PartCataloged');
      await ctx.table(PARTS).insert(partRowOf(event, await freePartSlug(ctx, part))).onConflict('id').ignore();
    },

    PartDetailsRevised: async (event, ctx) => {
      const revision = dataOf(event, 'PartDetailsRevised');
      const { attributes, ...plain } = revisedFields(revision);
      const changed = { ...plain, ...(attributes === undefined ? {} : { attributes: JSON.stringify(attributes) }) };
      const updated = await ctx.table(PARTS).where({ id: revision.partId }).update({ ...changed, revised_at: occurredAt(event) });
      if (updated === 0) throw new Error(`PartDetailsRevised for part ${revision.partId}, which was never cataloged`);
    },

    RetailerRegistered: async (event, ctx) => {
      await ctx.table(RETAILERS).insert(retailerRowOf(event)).onConflict('id').ignore();
    },
  },
  // Far behind the head: a page of events folded in memory, then one statement per table.
  bulk: { applyBatch: (events, ctx) => applyCatalogPage(events, ctx, 'throw') },
});

async function freePartSlug(ctx: ProjectionContext, part: { partId: string; brand: string; name: string; sku: string }): Promise<string> {
  const candidates = partSlugCandidates(part);
  const taken = new Set<string>(await ctx.table(PARTS).whereIn('slug', candidates).whereNot({ id: part.partId }).pluck('slug'));
  return freeSlugAmong(part, candidates, (slug) => (taken.has(slug) ? 'another part' : undefined));
}

/**
 * The handlers above for a page of events, as a few multi-row statements: what the page reads (the
 * parts it revises or catalogs, the holders of its slug candidates) in two queries, the fold in
 * memory, then one insert per table and one update of revised parts. A failure anywhere fails the
 * page; the runner then applies it event by event, which names the poison event as the handlers would.
 */
export async function applyCatalogPage(events: readonly RecordedEvent[], ctx: ProjectionContext, unknownRevision: UnknownRevision): Promise<void> {
  const { partIds, slugCandidates } = catalogLookups(events);
  const [existing, holders] = await Promise.all([
    partIds.length === 0 ? [] : ctx.table(PARTS).whereIn('id', partIds).pluck<string[]>('id'),
    slugCandidates.length === 0 ? [] : ctx.table(PARTS).whereIn('slug', slugCandidates).select<{ id: string; slug: string }[]>('id', 'slug'),
  ]);
  const writes = foldCatalog(
    events,
    { existingParts: new Set(existing.map((id) => id.toLowerCase())), slugOwners: new Map(holders.map((row) => [row.slug, row.id.toLowerCase()])) },
    unknownRevision,
  );
  // Rows already there stay, as the handlers' retries leave them.
  await insertUnnest(ctx, BIKES, writes.bikes, BIKE_COLUMNS, IGNORE_RETRY);
  await insertUnnest(ctx, RETAILERS, writes.retailers, RETAILER_COLUMNS, IGNORE_RETRY);
  await insertUnnest(ctx, PARTS, writes.parts, PART_COLUMNS, IGNORE_RETRY);
  if (writes.patches.length > 0) await patchParts(ctx, writes.patches);
}

const IGNORE_RETRY = 'ON CONFLICT (id) DO NOTHING';
const BIKE_COLUMNS = { id: 'uuid', slug: 'text', year: 'integer', make: 'text', model: 'text', trim: 'text', engine_cc: 'integer', registered_at: 'timestamptz' } as const;
const RETAILER_COLUMNS = { id: 'uuid', name: 'text', base_url: 'text', affiliate_program: 'text', registered_at: 'timestamptz' } as const;
const PART_COLUMNS = {
  id: 'uuid',
  slug: 'text',
  sku: 'text',
  brand: 'text',
  name: 'text',
  category: 'text',
  description: 'text',
  attributes: 'jsonb',
  cataloged_at: 'timestamptz',
  revised_at: 'timestamptz',
} as const;

/** The page's revisions of parts already in the table, one row per part, each field set only where a revision sent it. */
async function patchParts(ctx: ProjectionContext, patches: readonly PartPatch[]): Promise<void> {
  const parts = ctx.qualified(PARTS);
  const field = (name: string, value: string) => `${name} = CASE WHEN jsonb_exists(u.fields, '${name}') THEN ${value} ELSE p.${name} END`;
  await ctx.trx.raw(
    `UPDATE ${parts} p SET
       ${field('brand', `u.fields->>'brand'`)}, ${field('name', `u.fields->>'name'`)}, ${field('category', `u.fields->>'category'`)},
       ${field('description', `u.fields->>'description'`)}, ${field('attributes', `u.fields->'attributes'`)},
       revised_at = u.revised_at
      FROM unnest(?::uuid[], ?::jsonb[], ?::timestamptz[]) AS u(id, fields, revised_at)
     WHERE p.id = u.id`,
    [patches.map((p) => p.id), patches.map((p) => JSON.stringify(p.fields)), patches.map((p) => p.revised_at)],
  );
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable(BIKES, (t) => {
    t.uuid('id').primary();
    t.text('slug').notNullable().unique();
    t.integer('year').notNullable();
    t.text('make').notNullable();
    t.text('model').notNullable();
    t.text('trim');
    t.integer('engine_cc');
    t.timestamp('registered_at', { useTz: true }).notNullable();
    // The cascade: DISTINCT year; makes WHERE year; models WHERE year AND make; bikes WHERE year AND make AND model.
    t.index(['year', 'make', 'model'], 'bikes_year_make_model');
    // Listing by make (and model) across years.
    t.index(['make', 'model', 'year'], 'bikes_make_model_year');
  });

  await knex.schema.withSchema(schema).createTable(PARTS, (t) => {
    t.uuid('id').primary();
    t.text('slug').notNullable().unique();
    t.text('sku').notNullable().unique();
    t.text('brand').notNullable();
    t.text('name').notNullable();
    t.text('category').notNullable();
    t.text('description');
    t.jsonb('attributes').notNullable().defaultTo('{}');
    t.timestamp('cataloged_at', { useTz: true }).notNullable();
    t.timestamp('revised_at', { useTz: true }).notNullable();
    t.index(['category', 'brand'], 'parts_category_brand');
    t.index(['brand'], 'parts_brand');
  });

  await knex.schema.withSchema(schema).createTable(RETAILERS, (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.text('base_url').notNullable();
    t.text('affiliate_program');
    t.timestamp('registered_at', { useTz: true }).notNullable();
    t.index(['name'], 'retailers_name');
  });
}
