import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { dailyMinimumKey, foldDailyMinimums, utcDay, type ObservedPrice } from './prices-daily-minimum.js';
import { newestPerOffer } from './prices-newest-observation.js';
import { dataOf } from '../shared/recorded-event.js';
import { createReaderIndexes, readerIndexHooks, type ReaderIndex } from '../shared/reader-indexes.js';
import { writePriceVersions } from './prices-versions.js';
import { createKeyVersionsTable } from '../shared/key-versions.js';
import { PART_BEST_PRICES as BEST, PART_PRICES as CURRENT, PRICE_HISTORY as HISTORY, PRICE_VERSIONS } from './prices.tables.js';

/**
 * Prices per part and retailer, by the time the price was observed, never by the order events
 * arrive: a back-filled observation for an earlier hour is appended after newer ones (docs/domain.md,
 * price stream), so the newest `observed_at` wins in `part_prices` and an older one only feeds the
 * history.
 *
 * `part_best_prices` holds one offer per part, recomputed from `part_prices` whenever one of the
 * part's prices changes, so the bike-parts list, its price filter and sort, and build totals join
 * one row by primary key instead of aggregating at query time. The best offer is the cheapest in
 * stock, else the cheapest out of stock. Amounts in different currencies are compared as they are
 * (no conversion in v1; a retailer prices in one currency). Staleness (older than 24 h) depends on
 * the reader's clock, so the query marks it from `observed_at`; the projection cannot.
 *
 * Set-based, because a rebuild replays hundreds of thousands of observations: per batch, one upsert
 * of each offer's newest observation, one read and one write of the days it touches, and one
 * recomputation of the best offers of the parts whose current price changed.
 *
 * Policy `park`: the next hourly observation supersedes a lost one.
 */
export const PRICES_READER_INDEXES: readonly ReaderIndex[] = [
  // GET /api/prices/:partId/history without ?retailerId: every retailer's days in a range.
  { name: 'price_history_part_day', table: HISTORY, definition: '(part_id, day)' },
];
const READER_INDEXES = readerIndexHooks(PRICES_READER_INDEXES);

export const pricesProjection = defineProjection({
  name: 'prices',
  // 2: price_versions, the per-part versions of the current prices (answer cache, ETags).
  version: 2,
  tables: [CURRENT, HISTORY, BEST, PRICE_VERSIONS],
  keyVersions: PRICE_VERSIONS,
  onPoisonEvent: 'park',
  createTables,
  eventTypes: ['PriceObserved'],
  applyBatch: async (events, ctx) => writePriceVersions(ctx, await applyPriceObservations(events, ctx, { bulk: false })),
  // Far behind the head: a part's best offer is a function of its current prices alone, so it is
  // derived once for every part at the end instead of once per page that moves one of its prices.
  // Its versions too: a part's is a function of its rows (prices-versions.ts), written once at the end.
  bulk: {
    applyBatch: async (events, ctx) => void (await applyPriceObservations(events, ctx, { bulk: true })),
    dropReaderIndexes: READER_INDEXES.drop,
    finish: async (ctx) => {
      await finishPriceObservations(ctx);
      await writePriceVersions(ctx, 'all');
    },
  },
});

/** The end of a bulk catch-up of `applyPriceObservations`' tables: every part's best offers, then the readers' index. */
export async function finishPriceObservations(ctx: ProjectionContext): Promise<void> {
  await recomputeBestPrices(ctx, 'every part');
  await READER_INDEXES.create(ctx);
}

/**
 * The current prices, daily minimums and (live) best offers of a batch's observations, without the
 * per-part versions; returns the parts whose current prices changed. bike-listings keeps these
 * tables as its state, with versions of its own (a price version in its schema would have no reader).
 */
export async function applyPriceObservations(events: readonly RecordedEvent[], ctx: ProjectionContext, mode: { bulk: boolean }): Promise<string[]> {
  const observations = events.map(observationOf);
  const changedParts = await keepNewestPrices(ctx, newestPerOffer(observations));
  await recordDailyMinimums(ctx, observations);
  if (!mode.bulk && changedParts.length > 0) await recomputeBestPrices(ctx, changedParts);
  return changedParts;
}

interface Observation extends ObservedPrice {
  inStock: boolean;
  url: string;
  source: string;
  eventId: string;
  position: string;
}

function observationOf(event: RecordedEvent): Observation {
  const { observedAt, ...price } = dataOf(event, 'PriceObserved');
  return { ...price, observedAt: new Date(observedAt), eventId: event.eventId, position: event.position.toString() };
}

/**
 * Upserts each offer's newest observation of the batch where it is newer than the one held, and
 * returns the parts whose current prices changed (inserted or replaced).
 */
async function keepNewestPrices(ctx: ProjectionContext, newest: readonly Observation[]): Promise<string[]> {
  const table = ctx.qualified(CURRENT);
  const { rows } = await ctx.trx.raw<{ rows: { part_id: string }[] }>(
    `INSERT INTO ${table} (part_id, retailer_id, price_cents, currency, in_stock, url, observed_at, source, event_id, position)
     SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::boolean[], ?::text[], ?::timestamptz[], ?::text[], ?::uuid[], ?::bigint[])
     ON CONFLICT (part_id, retailer_id) DO UPDATE SET
       price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency, in_stock = EXCLUDED.in_stock, url = EXCLUDED.url,
       observed_at = EXCLUDED.observed_at, source = EXCLUDED.source, event_id = EXCLUDED.event_id, position = EXCLUDED.position
      WHERE ${table}.observed_at < EXCLUDED.observed_at
     RETURNING part_id`,
    [
      newest.map((o) => o.partId),
      newest.map((o) => o.retailerId),
      newest.map((o) => o.priceCents),
      newest.map((o) => o.currency),
      newest.map((o) => o.inStock),
      newest.map((o) => o.url),
      newest.map((o) => o.observedAt.toISOString()),
      newest.map((o) => o.source),
      newest.map((o) => o.eventId),
      newest.map((o) => o.position),
    ],
  );
  return [...new Set(rows.map((row) => row.part_id))];
}

/** Reads the stored days the batch touches, folds the batch into them (prices-daily-minimum.ts) and writes them back. */
async function recordDailyMinimums(ctx: ProjectionContext, observations: readonly Observation[]): Promise<void> {
  const table = ctx.qualified(HISTORY);
  const keys = new Map(observations.map((o) => [dailyMinimumKey(o.partId, o.retailerId, utcDay(o.observedAt)), o]));
  const touched = [...keys.values()];
  const { rows: stored } = await ctx.trx.raw<{ rows: { part_id: string; retailer_id: string; day: string; min_price_cents: number | string; currency: string; last_observed_at: Date }[] }>(
    `SELECT part_id, retailer_id, to_char(day, 'YYYY-MM-DD') AS day, min_price_cents, currency, last_observed_at
       FROM ${table}
      WHERE (part_id, retailer_id, day) IN (SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::date[]))`,
    [touched.map((o) => o.partId), touched.map((o) => o.retailerId), touched.map((o) => utcDay(o.observedAt))],
  );
  const days = foldDailyMinimums(
    stored.map((row) => ({
      partId: row.part_id,
      retailerId: row.retailer_id,
      day: row.day,
      minPriceCents: Number(row.min_price_cents),
      currency: row.currency,
      lastObservedAt: row.last_observed_at,
    })),
    observations,
  );
  // Every day was just read in this transaction, so the folded row replaces the stored one.
  await ctx.trx.raw(
    `INSERT INTO ${table} (part_id, retailer_id, day, min_price_cents, currency, last_observed_at)
     SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::date[], ?::bigint[], ?::text[], ?::timestamptz[])
     ON CONFLICT (part_id, retailer_id, day) DO UPDATE SET
       min_price_cents = EXCLUDED.min_price_cents, currency = EXCLUDED.currency, last_observed_at = EXCLUDED.last_observed_at`,
    [
      days.map((d) => d.partId),
      days.map((d) => d.retailerId),
      days.map((d) => d.day),
      days.map((d) => d.minPriceCents),
      days.map((d) => d.currency),
      days.map((d) => d.lastObservedAt.toISOString()),
    ],
  );
}

/** The best offer of the given parts, or of every part, from their current prices (prices are never removed, so no best offer is either). */
async function recomputeBestPrices(ctx: ProjectionContext, partIds: string[] | 'every part'): Promise<void> {
  const every = partIds === 'every part';
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(BEST)} (part_id, retailer_id, price_cents, currency, in_stock, observed_at, offer_count, in_stock_offer_count)
     SELECT DISTINCT ON (part_id) part_id, retailer_id, price_cents, currency, in_stock, observed_at,
            count(*) OVER offers, count(*) FILTER (WHERE in_stock) OVER offers
       FROM ${ctx.qualified(CURRENT)}
      ${every ? '' : 'WHERE part_id = ANY(?::uuid[])'}
     WINDOW offers AS (PARTITION BY part_id)
      ORDER BY part_id, in_stock DESC, price_cents, retailer_id
     ON CONFLICT (part_id) DO UPDATE SET
       retailer_id = EXCLUDED.retailer_id, price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency,
       in_stock = EXCLUDED.in_stock, observed_at = EXCLUDED.observed_at,
       offer_count = EXCLUDED.offer_count, in_stock_offer_count = EXCLUDED.in_stock_offer_count`,
    every ? [] : [partIds],
  );
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable(CURRENT, (t) => {
    t.uuid('part_id').notNullable();
    t.uuid('retailer_id').notNullable();
    t.bigInteger('price_cents').notNullable();
    t.string('currency', 3).notNullable();
    t.boolean('in_stock').notNullable();
    t.text('url').notNullable();
    t.timestamp('observed_at', { useTz: true }).notNullable();
    t.text('source').notNullable();
    t.uuid('event_id').notNullable();
    t.bigInteger('position').notNullable();
    // GET /api/prices/:partId reads by the primary key's prefix.
    t.primary(['part_id', 'retailer_id']);
  });

  await knex.schema.withSchema(schema).createTable(HISTORY, (t) => {
    t.uuid('part_id').notNullable();
    t.uuid('retailer_id').notNullable();
    t.date('day').notNullable();
    t.bigInteger('min_price_cents').notNullable();
    t.string('currency', 3).notNullable();
    t.timestamp('last_observed_at', { useTz: true }).notNullable();
    // GET /api/prices/:partId/history?retailerId&days: the primary key, range on day.
    t.primary(['part_id', 'retailer_id', 'day']);
  });
  await createReaderIndexes(knex, (name) => qualify(schema, name), PRICES_READER_INDEXES);
  await createKeyVersionsTable(knex, schema, PRICE_VERSIONS);

  await knex.schema.withSchema(schema).createTable(BEST, (t) => {
    t.uuid('part_id').primary();
    t.uuid('retailer_id').notNullable();
    t.bigInteger('price_cents').notNullable();
    t.string('currency', 3).notNullable();
    t.boolean('in_stock').notNullable();
    t.timestamp('observed_at', { useTz: true }).notNullable();
    t.integer('offer_count').notNullable();
    t.integer('in_stock_offer_count').notNullable();
  });
}
