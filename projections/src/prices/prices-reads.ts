import type { Knex } from 'knex';
import { RETAILERS } from '../catalog/catalog.tables.js';
import { PART_PRICES, PRICE_HISTORY } from './prices.tables.js';

/**
 * The reads the API makes of the prices projection's public views, so their names and columns are
 * spelled in this package alone. Retailer names come from the catalog (QUERY_PROJECTIONS.prices
 * waits for both). Each is one statement over the serving generation.
 */

/** A part's current offer at one retailer, with the retailer's name. */
export interface CurrentOfferRow {
  part_id: string;
  retailer_id: string;
  retailer_name: string;
  price_cents: number;
  currency: string;
  in_stock: boolean;
  url: string;
  observed_at: Date;
}

/** The current offers of the given parts, in stock first, then cheapest, then by retailer name. */
export function readCurrentOffers(knex: Knex, partIds: readonly string[]): Promise<CurrentOfferRow[]> {
  return knex(`${PART_PRICES} as pp`)
    .join(`${RETAILERS} as r`, 'r.id', 'pp.retailer_id')
    .whereIn('pp.part_id', partIds)
    .select('pp.part_id', 'pp.retailer_id', 'r.name as retailer_name', 'pp.price_cents', 'pp.currency', 'pp.in_stock', 'pp.url', 'pp.observed_at')
    .orderBy([{ column: 'pp.in_stock', order: 'desc' }, { column: 'pp.price_cents' }, { column: 'r.name' }]);
}

/** A part's offer at one retailer and that retailer's base URL (the outbound link checks the host). */
export function readRetailerOffer(knex: Knex, pair: { partId: string; retailerId: string }): Promise<{ url: string; base_url: string } | undefined> {
  return knex(`${PART_PRICES} as pp`)
    .join(`${RETAILERS} as r`, 'r.id', 'pp.retailer_id')
    .where({ 'pp.part_id': pair.partId, 'pp.retailer_id': pair.retailerId })
    .first('pp.url', 'r.base_url');
}

/** One day's lowest price of a part at a retailer. */
export interface DailyMinimumRow {
  retailer_id: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
  min_price_cents: number;
  currency: string;
}

/** A part's daily minimums from `since` (YYYY-MM-DD) on, optionally at one retailer, oldest first. */
export function readPriceHistory(knex: Knex, filter: { partId: string; since: string; retailerId?: string }): Promise<DailyMinimumRow[]> {
  const query = knex(PRICE_HISTORY).where('part_id', filter.partId).andWhere('day', '>=', filter.since);
  if (filter.retailerId) query.where('retailer_id', filter.retailerId);
  return query
    .select('retailer_id', knex.raw(`to_char(day, 'YYYY-MM-DD') as day`), 'min_price_cents', 'currency')
    .orderBy([{ column: 'day' }, { column: 'retailer_id' }]);
}
