import type { Knex } from 'knex';
import { bikeSlug, partSlug, partSlugWithSku } from '@mpp/domain';
import { defineProjection, type ProjectionContext } from '@mpp/projection-runner';
import { dataOf, occurredAt } from './recorded-event.js';

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
  tables: ['bikes', 'parts', 'retailers'],
  // One malformed catalog event must not freeze the whole catalog; the dead letter is reported.
  onPoisonEvent: 'park',
  createTables,
  handlers: {
    BikeRegistered: async (event, ctx) => {
      const bike = dataOf(event, 'BikeRegistered');
      // Bike ids are derived from the slug, so a second registration of the same id is a retry.
      await ctx
        .table('bikes')
        .insert({
          id: bike.bikeId,
          slug: bikeSlug(bike),
          year: bike.year,
          make: bike.make,
          model: bike.model,
          trim: bike.trim ?? null,
          engine_cc: bike.engineCc ?? null,
          registered_at: occurredAt(event),
        })
        .onConflict('id')
        .ignore();
    },

    PartCataloged: async (event, ctx) => {
      const part = dataOf(event, 'PartCataloged');
      await ctx
        .table('parts')
        .insert({
          id: part.partId,
          slug: await freePartSlug(ctx, part),
          sku: part.sku,
          brand: part.brand,
          name: part.name,
          category: part.category,
          description: part.description ?? null,
          attributes: JSON.stringify(part.attributes ?? {}),
          cataloged_at: occurredAt(event),
          revised_at: occurredAt(event),
        })
        .onConflict('id')
        .ignore();
    },

    PartDetailsRevised: async (event, ctx) => {
      const { partId, brand, name, category, description, attributes } = dataOf(event, 'PartDetailsRevised');
      // Absent fields mean "unchanged" (the decider only sends what changed); the slug stays, see above.
      const changed = {
        ...(brand === undefined ? {} : { brand }),
        ...(name === undefined ? {} : { name }),
        ...(category === undefined ? {} : { category }),
        ...(description === undefined ? {} : { description }),
        ...(attributes === undefined ? {} : { attributes: JSON.stringify(attributes) }),
      };
      const updated = await ctx.table('parts').where({ id: partId }).update({ ...changed, revised_at: occurredAt(event) });
      if (updated === 0) throw new Error(`PartDetailsRevised for part ${partId}, which was never cataloged`);
    },

    RetailerRegistered: async (event, ctx) => {
      const retailer = dataOf(event, 'RetailerRegistered');
      await ctx
        .table('retailers')
        .insert({
          id: retailer.retailerId,
          name: retailer.name,
          base_url: retailer.baseUrl,
          affiliate_program: retailer.affiliateProgram ?? null,
          registered_at: occurredAt(event),
        })
        .onConflict('id')
        .ignore();
    },
  },
});

/** Beyond `{base}-{sku}` a numbered suffix; only reachable when names and skus collide by construction. */
const NUMBERED_SLUG_ATTEMPTS = 8;

async function freePartSlug(ctx: ProjectionContext, part: { partId: string; brand: string; name: string; sku: string }): Promise<string> {
  // A brand and name without a single Latin letter or digit slugify to nothing; the sku then carries the slug.
  const base = partSlug(part) || 'part';
  const withSku = partSlugWithSku(base, part.sku);
  const candidates = [base, withSku, ...Array.from({ length: NUMBERED_SLUG_ATTEMPTS }, (_, i) => `${withSku}-${i + 2}`)];
  const taken = new Set<string>(await ctx.table('parts').whereIn('slug', candidates).whereNot({ id: part.partId }).pluck('slug'));
  const free = candidates.find((slug) => !taken.has(slug));
  if (free === undefined) throw new Error(`no free slug for part ${part.partId} among ${candidates.join(', ')}`);
  return free;
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable('bikes', (t) => {
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

  await knex.schema.withSchema(schema).createTable('parts', (t) => {
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

  await knex.schema.withSchema(schema).createTable('retailers', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.text('base_url').notNullable();
    t.text('affiliate_program');
    t.timestamp('registered_at', { useTz: true }).notNullable();
    t.index(['name'], 'retailers_name');
  });
}
