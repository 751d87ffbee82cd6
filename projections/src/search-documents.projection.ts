import type { Knex } from 'knex';
import {
  compatibilityStatus,
  countVerifications,
  parseStreamName,
  partSlug,
  partSlugWithSku,
  type VerificationLifecycle,
} from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { dataOf } from './recorded-event.js';

const DOCUMENTS = 'search_documents';
/** Surface words of all documents, for typo correction (trigram index). */
const VOCABULARY = 'search_vocabulary';
/** Private state: bike labels, each pair's evidence, each retailer's current price. */
const BIKES = 'search_bikes';
const FITMENT = 'search_fitment';
const VERIFICATIONS = 'search_verifications';
const PRICES = 'search_prices';

/**
 * One search document per part (the shape of `SearchDocument` in @mpp/search): the part's fields,
 * every bike it has a compatibility record for with that pair's status and counts, and its best
 * current price. The PostgreSQL search adapter queries these rows; the Meilisearch indexer pushes
 * the rows whose `updated_position` moved.
 *
 * Self-contained: it folds bikes, evidence and prices itself instead of reading the catalog,
 * compatibility or prices tables, because those live in other projections' generations and a
 * rebuild must not depend on how far another projection has got. Status and counts come from the
 * domain's own rules (`countVerifications`, `compatibilityStatus`), as in the compatibility
 * projection; slugs follow the catalog projection's rule (first cataloged keeps `{brand}-{name}`),
 * which gives the same slugs because both fold the same log in the same order.
 *
 * The search columns (weighted tsvector, SKU key, bike/fit/status arrays) are generated from the
 * stored fields by the SQL functions of migration 0006, so any writer gets them right.
 *
 * Policy `park`: search is a finder, the part page (compatibility) is the authority on a status; a
 * poison event must not freeze search for everyone. It is reported as a dead letter, and the next
 * event for the same part rewrites its document.
 */
export const searchDocumentsProjection = defineProjection({
  name: 'search-documents',
  version: 1,
  tables: [DOCUMENTS, VOCABULARY],
  onPoisonEvent: 'park',
  createTables,
  handlers: {
    BikeRegistered: async (event, ctx) => {
      const { bikeId, year, make, model, trim } = dataOf(event, 'BikeRegistered');
      const label = [String(year), make, model, trim].filter(Boolean).join(' ');
      await ctx.table(BIKES).insert({ bike_id: bikeId, label }).onConflict('bike_id').ignore();
      // Evidence recorded before the bike (not possible through the deciders, but replays must not care) gets its label.
      const parts: string[] = await ctx.table(FITMENT).where({ bike_id: bikeId }).pluck('part_id');
      for (const partId of parts) await refreshFitment(ctx, partId, event);
    },

    PartCataloged: async (event, ctx) => {
      const part = dataOf(event, 'PartCataloged');
      await ctx
        .table(DOCUMENTS)
        .insert({
          part_id: part.partId,
          slug: await freeSlug(ctx, part),
          sku: part.sku,
          brand: part.brand,
          name: part.name,
          category: part.category,
          description: part.description ?? null,
          updated_position: event.position.toString(),
        })
        .onConflict('part_id')
        .ignore();
      await refreshFitment(ctx, part.partId, event);
      await refreshBestPrice(ctx, part.partId, event);
      await addVocabulary(ctx, part.partId);
    },

    PartDetailsRevised: async (event, ctx) => {
      const { partId, brand, name, category, description } = dataOf(event, 'PartDetailsRevised');
      // Absent means unchanged; the slug stays what it was (public URL), as in the catalog.
      const changed = {
        ...(brand === undefined ? {} : { brand }),
        ...(name === undefined ? {} : { name }),
        ...(category === undefined ? {} : { category }),
        ...(description === undefined ? {} : { description }),
      };
      if (Object.keys(changed).length === 0) return;
      const updated = await ctx.table(DOCUMENTS).where({ part_id: partId }).update({ ...changed, updated_position: event.position.toString() });
      if (updated === 0) throw new Error(`PartDetailsRevised for part ${partId}, which was never cataloged`);
      await addVocabulary(ctx, partId);
    },

    FitmentPublished: async (event, ctx) => {
      const { partId, bikeId } = dataOf(event, 'FitmentPublished');
      await upsertPair(ctx, { partId, bikeId }, 'published');
      await recount(ctx, { partId, bikeId }, event);
    },

    FitmentWithdrawn: async (event, ctx) => {
      const { partId, bikeId } = dataOf(event, 'FitmentWithdrawn');
      await upsertPair(ctx, { partId, bikeId }, 'withdrawn');
      await recount(ctx, { partId, bikeId }, event);
    },

    VerificationSubmitted: async (event, ctx) => {
      const { verificationId, partId, bikeId, fits, supersedes } = dataOf(event, 'VerificationSubmitted');
      await upsertPair(ctx, { partId, bikeId });
      await ctx
        .table(VERIFICATIONS)
        .insert({ verification_id: verificationId, part_id: partId, bike_id: bikeId, fits, lifecycle: 'active', hidden: false })
        .onConflict('verification_id')
        .ignore();
      if (supersedes !== undefined) await setLifecycle(ctx, { partId, bikeId }, supersedes, 'superseded');
      await recount(ctx, { partId, bikeId }, event);
    },

    VerificationRetracted: async (event, ctx) => {
      const { verificationId } = dataOf(event, 'VerificationRetracted');
      const pair = pairOfStream(event);
      await upsertPair(ctx, pair);
      await setLifecycle(ctx, pair, verificationId, 'retracted');
      await recount(ctx, pair, event);
    },

    VerificationModerated: async (event, ctx) => {
      const { verificationId, action } = dataOf(event, 'VerificationModerated');
      const pair = pairOfStream(event);
      await upsertPair(ctx, pair);
      await ctx.table(VERIFICATIONS).where({ verification_id: verificationId, part_id: pair.partId, bike_id: pair.bikeId }).update({ hidden: action === 'hidden' });
      await recount(ctx, pair, event);
    },

    PriceObserved: async (event, ctx) => {
      const price = dataOf(event, 'PriceObserved');
      const table = ctx.qualified(PRICES);
      // The newest observation wins by observed_at, not by arrival (a back-fill never overwrites), as in the prices projection.
      const result = await ctx.trx.raw<{ rowCount: number }>(
        `INSERT INTO ${table} (part_id, retailer_id, price_cents, currency, in_stock, observed_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (part_id, retailer_id) DO UPDATE
            SET price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency, in_stock = EXCLUDED.in_stock, observed_at = EXCLUDED.observed_at
          WHERE ${table}.observed_at < EXCLUDED.observed_at`,
        [price.partId, price.retailerId, price.priceCents, price.currency, price.inStock, new Date(price.observedAt)],
      );
      if (result.rowCount > 0) await refreshBestPrice(ctx, price.partId, event);
    },
  },
});

interface Pair {
  partId: string;
  bikeId: string;
}

function pairOfStream(event: RecordedEvent): Pair {
  const parsed = parseStreamName(event.streamId);
  if (parsed?.kind !== 'fitment') throw new Error(`${event.type} in stream ${event.streamId}, which is not a fitment stream`);
  return { partId: parsed.partId, bikeId: parsed.bikeId };
}

async function upsertPair(ctx: ProjectionContext, pair: Pair, official?: 'published' | 'withdrawn'): Promise<void> {
  const query = ctx.table(FITMENT).insert({ part_id: pair.partId, bike_id: pair.bikeId, official_status: official ?? 'none' }).onConflict(['part_id', 'bike_id']);
  await (official ? query.merge(['official_status']) : query.ignore());
}

async function setLifecycle(ctx: ProjectionContext, pair: Pair, verificationId: string, lifecycle: VerificationLifecycle): Promise<void> {
  await ctx.table(VERIFICATIONS).where({ verification_id: verificationId, part_id: pair.partId, bike_id: pair.bikeId }).update({ lifecycle });
}

async function recount(ctx: ProjectionContext, pair: Pair, event: RecordedEvent): Promise<void> {
  const groups: { fits: boolean; lifecycle: VerificationLifecycle; hidden: boolean; count: number }[] = await ctx
    .table(VERIFICATIONS)
    .where({ part_id: pair.partId, bike_id: pair.bikeId })
    .groupBy('fits', 'lifecycle', 'hidden')
    .select('fits', 'lifecycle', 'hidden')
    .count({ count: '*' });
  const counts = countVerifications(groups.flatMap((group) => Array.from({ length: Number(group.count) }, () => group)));
  const { official_status: official } = await ctx.table(FITMENT).where({ part_id: pair.partId, bike_id: pair.bikeId }).first('official_status');
  const status = compatibilityStatus({ ...counts, officialPublished: official === 'published' });
  await ctx
    .table(FITMENT)
    .where({ part_id: pair.partId, bike_id: pair.bikeId })
    .update({ status, confirmations: counts.confirmations, refutations: counts.refutations });
  await refreshFitment(ctx, pair.partId, event);
}

/** Rewrites the document's bikes (ordered by label, so replays write identical JSON) and totals. */
async function refreshFitment(ctx: ProjectionContext, partId: string, event: RecordedEvent): Promise<void> {
  const result = await ctx.trx.raw<{ rowCount: number }>(
    `UPDATE ${ctx.qualified(DOCUMENTS)} d
        SET bikes = f.bikes, confirmations = f.confirmations, refutations = f.refutations, updated_position = ?
       FROM (SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'bikeId', sf.bike_id, 'label', coalesce(b.label, ''), 'status', sf.status,
                       'confirmations', sf.confirmations, 'refutations', sf.refutations)
                     ORDER BY b.label, sf.bike_id), '[]'::jsonb) AS bikes,
                    coalesce(sum(sf.confirmations), 0)::int AS confirmations,
                    coalesce(sum(sf.refutations), 0)::int AS refutations
               FROM ${ctx.qualified(FITMENT)} sf
               LEFT JOIN ${ctx.qualified(BIKES)} b ON b.bike_id = sf.bike_id
              WHERE sf.part_id = ?) f
      WHERE d.part_id = ?`,
    [event.position.toString(), partId, partId],
  );
  // A label seen for the first time may bring new words (a make, a model); none when the part is not cataloged yet.
  if (result.rowCount > 0) await addVocabulary(ctx, partId);
}

/** The cheapest in-stock offer, else the cheapest of all, as part_best_prices defines it. */
async function refreshBestPrice(ctx: ProjectionContext, partId: string, event: RecordedEvent): Promise<void> {
  await ctx.trx.raw(
    `UPDATE ${ctx.qualified(DOCUMENTS)} d
        SET best_price_cents = bp.price_cents, currency = bp.currency, in_stock = bp.in_stock, updated_position = ?
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (
             SELECT price_cents, currency, in_stock FROM ${ctx.qualified(PRICES)}
              WHERE part_id = ? ORDER BY in_stock DESC, price_cents, retailer_id LIMIT 1) bp ON true
      WHERE d.part_id = ?`,
    [event.position.toString(), partId, partId],
  );
}

async function addVocabulary(ctx: ProjectionContext, partId: string): Promise<void> {
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(VOCABULARY)} (word)
     SELECT public.search_vocabulary_words(brand, name, category, bikes, description) FROM ${ctx.qualified(DOCUMENTS)} WHERE part_id = ?
     ON CONFLICT (word) DO NOTHING`,
    [partId],
  );
}

const NUMBERED_SLUG_ATTEMPTS = 8;

async function freeSlug(ctx: ProjectionContext, part: { partId: string; brand: string; name: string; sku: string }): Promise<string> {
  const base = partSlug(part) || 'part';
  const withSku = partSlugWithSku(base, part.sku);
  const candidates = [base, withSku, ...Array.from({ length: NUMBERED_SLUG_ATTEMPTS }, (_, i) => `${withSku}-${i + 2}`)];
  const taken = new Set<string>(await ctx.table(DOCUMENTS).whereIn('slug', candidates).whereNot({ part_id: part.partId }).pluck('slug'));
  const free = candidates.find((slug) => !taken.has(slug));
  if (free === undefined) throw new Error(`no free slug for part ${part.partId} among ${candidates.join(', ')}`);
  return free;
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  const documents = qualify(schema, DOCUMENTS);
  await knex.raw(`
    CREATE TABLE ${documents} (
      part_id uuid PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      sku text NOT NULL,
      brand text NOT NULL,
      name text NOT NULL,
      category text NOT NULL,
      description text,
      bikes jsonb NOT NULL DEFAULT '[]',
      best_price_cents bigint,
      currency text,
      in_stock boolean,
      confirmations integer NOT NULL DEFAULT 0,
      refutations integer NOT NULL DEFAULT 0,
      updated_position bigint NOT NULL,
      search_vector tsvector GENERATED ALWAYS AS (public.search_document_vector(sku, brand, name, category, bikes, description)) STORED,
      sku_key text GENERATED ALWAYS AS (public.search_sku_key(sku)) STORED,
      bike_ids text[] GENERATED ALWAYS AS (public.search_bike_ids(bikes)) STORED,
      fits text[] GENERATED ALWAYS AS (public.search_fit_keys(bikes)) STORED,
      statuses text[] GENERATED ALWAYS AS (public.search_statuses(bikes)) STORED
    )`);
  // Free text: every word of the query (and its corrections and synonyms) against the weighted vector.
  await knex.raw(`CREATE INDEX search_documents_vector ON ${documents} USING gin (search_vector)`);
  // An exact SKU, however it is typed, is hit number one.
  await knex.raw(`CREATE INDEX search_documents_sku_key ON ${documents} (sku_key)`);
  // ?bikeId, and ?bikeId&status (keys "<bikeId>:<status>").
  await knex.raw(`CREATE INDEX search_documents_bike_ids ON ${documents} USING gin (bike_ids)`);
  await knex.raw(`CREATE INDEX search_documents_fits ON ${documents} USING gin (fits)`);
  // ?category without text, and the facet counts of a query without text: an index-only scan over
  // this narrow index instead of a scan of the wide rows (vector, bikes) for 100,000 parts.
  await knex.raw(`CREATE INDEX search_documents_facets ON ${documents} (category, brand) INCLUDE (statuses, best_price_cents)`);
  // ?brand; the brand filter is case-insensitive.
  await knex.raw(`CREATE INDEX search_documents_brand ON ${documents} (lower(brand))`);
  // Browsing by price, and by evidence (the order of an empty query).
  await knex.raw(`CREATE INDEX search_documents_price ON ${documents} (best_price_cents)`);
  await knex.raw(`CREATE INDEX search_documents_evidence ON ${documents} (confirmations DESC, name, part_id)`);
  // The Meilisearch indexer reads what changed since its checkpoint.
  await knex.raw(`CREATE INDEX search_documents_updated_position ON ${documents} (updated_position)`);

  const vocabulary = qualify(schema, VOCABULARY);
  await knex.raw(`CREATE TABLE ${vocabulary} (word text PRIMARY KEY)`);
  await knex.raw(`CREATE INDEX search_vocabulary_trigrams ON ${vocabulary} USING gin (word public.gin_trgm_ops)`);

  await knex.schema.withSchema(schema).createTable(BIKES, (t) => {
    t.uuid('bike_id').primary();
    t.text('label').notNullable();
  });
  await knex.schema.withSchema(schema).createTable(FITMENT, (t) => {
    t.uuid('part_id').notNullable();
    t.uuid('bike_id').notNullable();
    // none | published | withdrawn
    t.text('official_status').notNullable().defaultTo('none');
    t.text('status').notNullable().defaultTo('no_data');
    t.integer('confirmations').notNullable().defaultTo(0);
    t.integer('refutations').notNullable().defaultTo(0);
    t.primary(['part_id', 'bike_id']);
    // A bike registered late relabels its pairs.
    t.index(['bike_id'], 'search_fitment_bike');
  });
  await knex.schema.withSchema(schema).createTable(VERIFICATIONS, (t) => {
    t.uuid('verification_id').primary();
    t.uuid('part_id').notNullable();
    t.uuid('bike_id').notNullable();
    t.boolean('fits').notNullable();
    t.text('lifecycle').notNullable();
    t.boolean('hidden').notNullable();
    t.index(['part_id', 'bike_id'], 'search_verifications_pair');
  });
  await knex.schema.withSchema(schema).createTable(PRICES, (t) => {
    t.uuid('part_id').notNullable();
    t.uuid('retailer_id').notNullable();
    t.bigInteger('price_cents').notNullable();
    t.string('currency', 3).notNullable();
    t.boolean('in_stock').notNullable();
    t.timestamp('observed_at', { useTz: true }).notNullable();
    t.primary(['part_id', 'retailer_id']);
  });
}
