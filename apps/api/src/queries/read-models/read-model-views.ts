import { isPriceStale, type CompatibilityStatus } from '@mpp/domain';
import type { BikeRow as CatalogBikeRow, PartRow as CatalogPartRow } from '@mpp/projections';

/** Row -> response mappers shared by the query handlers, so every endpoint shows a thing the same way. */

/** The catalog's bike columns the API shows (not when it was registered). */
export type BikeRow = Omit<CatalogBikeRow, 'registered_at'>;

export function bikeView(row: BikeRow) {
  return { id: row.id, slug: row.slug, year: row.year, make: row.make, model: row.model, trim: row.trim, engineCc: row.engine_cc };
}
export type BikeView = ReturnType<typeof bikeView>;

/** The catalog's part columns a part summary shows (the part page's attributes come from part_pages). */
export type PartRow = Omit<CatalogPartRow, 'attributes' | 'cataloged_at' | 'revised_at'>;

export function partSummaryView(row: PartRow) {
  return { id: row.id, slug: row.slug, sku: row.sku, brand: row.brand, name: row.name, category: row.category, description: row.description };
}
export type PartSummaryView = ReturnType<typeof partSummaryView>;

export interface PriceRow {
  retailer_id: string;
  retailer_name: string;
  price_cents: number;
  currency: string;
  in_stock: boolean;
  url: string;
  observed_at: Date | string;
}

export function retailerPriceView(row: PriceRow, now: Date) {
  const observedAt = new Date(row.observed_at).toISOString();
  return {
    retailer: { id: row.retailer_id, name: row.retailer_name },
    priceCents: row.price_cents,
    currency: row.currency,
    inStock: row.in_stock,
    url: row.url,
    observedAt,
    stale: isPriceStale(observedAt, now.toISOString()),
  };
}
export type RetailerPriceView = ReturnType<typeof retailerPriceView>;

export const COMPATIBILITY_STATUSES: readonly CompatibilityStatus[] = ['verified', 'community', 'disputed', 'no_data'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `:idOrSlug` routes: a UUID looks up the id, anything else the slug. */
export function idOrSlugColumn(idOrSlug: string): 'id' | 'slug' {
  return UUID.test(idOrSlug) ? 'id' : 'slug';
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
