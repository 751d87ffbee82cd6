import type { Knex } from 'knex';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { dataOf } from './recorded-event.js';

const CURRENT = 'part_prices';
const HISTORY = 'price_history';
const BEST = 'part_best_prices';

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
 * Policy `park`: the next hourly observation supersedes a lost one.
 */
export const pricesProjection = defineProjection({
  name: 'prices',
  version: 1,
  tables: [CURRENT, HISTORY, BEST],
  onPoisonEvent: 'park',
  createTables,
  handlers: {
    PriceObserved: async (event, ctx) => {
      const price = dataOf(event, 'PriceObserved');
      const observedAt = new Date(price.observedAt);
      const changed = await keepNewestPrice(ctx, {
        part_id: price.partId,
        retailer_id: price.retailerId,
        price_cents: price.priceCents,
        currency: price.currency,
        in_stock: price.inStock,
        url: price.url,
        observed_at: observedAt,
        source: price.source,
        event_id: event.eventId,
        position: event.position.toString(),
      });
      await recordDailyMinimum(ctx, price.partId, price.retailerId, observedAt, price.priceCents, price.currency);
      if (changed) await recomputeBestPrice(ctx, price.partId);
    },
  },
});

/** Returns whether the observation became the current price (it is newer than the one held). */
async function keepNewestPrice(ctx: ProjectionContext, row: Record<string, Knex.Value>): Promise<boolean> {
  const columns = Object.keys(row);
  const table = ctx.qualified(CURRENT);
  const result = await ctx.trx.raw<{ rowCount: number }>(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (part_id, retailer_id) DO UPDATE
        SET ${columns.filter((c) => c !== 'part_id' && c !== 'retailer_id').map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
      WHERE ${table}.observed_at < EXCLUDED.observed_at`,
    Object.values(row),
  );
  return result.rowCount > 0;
}

/**
 * The day is the UTC date of the observation. Within a day the lowest price is kept; should a
 * retailer switch currency that day, the later observation's currency restarts the day's minimum,
 * since amounts in two currencies have no minimum.
 */
async function recordDailyMinimum(ctx: ProjectionContext, partId: string, retailerId: string, observedAt: Date, priceCents: number, currency: string): Promise<void> {
  const table = ctx.qualified(HISTORY);
  await ctx.trx.raw(
    `INSERT INTO ${table} (part_id, retailer_id, day, min_price_cents, currency, last_observed_at)
     VALUES (?, ?, (?::timestamptz AT TIME ZONE 'UTC')::date, ?, ?, ?)
     ON CONFLICT (part_id, retailer_id, day) DO UPDATE SET
       min_price_cents = CASE
         WHEN ${table}.currency = EXCLUDED.currency THEN LEAST(${table}.min_price_cents, EXCLUDED.min_price_cents)
         WHEN ${table}.last_observed_at < EXCLUDED.last_observed_at THEN EXCLUDED.min_price_cents
         ELSE ${table}.min_price_cents END,
       currency = CASE
         WHEN ${table}.currency <> EXCLUDED.currency AND ${table}.last_observed_at < EXCLUDED.last_observed_at THEN EXCLUDED.currency
         ELSE ${table}.currency END,
       last_observed_at = GREATEST(${table}.last_observed_at, EXCLUDED.last_observed_at)`,
    [partId, retailerId, observedAt, priceCents, currency, observedAt],
  );
}

async function recomputeBestPrice(ctx: ProjectionContext, partId: string): Promise<void> {
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(BEST)} (part_id, retailer_id, price_cents, currency, in_stock, observed_at, offer_count, in_stock_offer_count)
     SELECT DISTINCT ON (part_id) part_id, retailer_id, price_cents, currency, in_stock, observed_at,
            count(*) OVER (), count(*) FILTER (WHERE in_stock) OVER ()
       FROM ${ctx.qualified(CURRENT)}
      WHERE part_id = ?
      ORDER BY part_id, in_stock DESC, price_cents, retailer_id
     ON CONFLICT (part_id) DO UPDATE SET
       retailer_id = EXCLUDED.retailer_id, price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency,
       in_stock = EXCLUDED.in_stock, observed_at = EXCLUDED.observed_at,
       offer_count = EXCLUDED.offer_count, in_stock_offer_count = EXCLUDED.in_stock_offer_count`,
    [partId],
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
  // The same without ?retailerId: every retailer's days in a range.
  await knex.raw(`CREATE INDEX price_history_part_day ON ${qualify(schema, HISTORY)} (part_id, day)`);

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
