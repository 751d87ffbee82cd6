/**
 * Where a rider shops (DESIGN §10): an ISO 3166-1 alpha-2 country, and the currency its retailers
 * price in. A region selects the rider's currency for every comparison (best price, price sort,
 * price filters, build totals); amounts in two currencies are never compared. No I/O: the API, the
 * projections and the web import this one list.
 */
export interface Region {
  code: string;
  name: string;
  currency: string;
}

export const REGIONS: readonly Region[] = [
  { code: 'US', name: 'United States', currency: 'USD' },
  { code: 'CA', name: 'Canada', currency: 'CAD' },
  { code: 'GB', name: 'United Kingdom', currency: 'GBP' },
  { code: 'IE', name: 'Ireland', currency: 'EUR' },
  { code: 'DE', name: 'Germany', currency: 'EUR' },
  { code: 'FR', name: 'France', currency: 'EUR' },
  { code: 'IT', name: 'Italy', currency: 'EUR' },
  { code: 'ES', name: 'Spain', currency: 'EUR' },
  { code: 'NL', name: 'Netherlands', currency: 'EUR' },
  { code: 'BE', name: 'Belgium', currency: 'EUR' },
  { code: 'AT', name: 'Austria', currency: 'EUR' },
  { code: 'PT', name: 'Portugal', currency: 'EUR' },
  { code: 'AU', name: 'Australia', currency: 'AUD' },
  { code: 'NZ', name: 'New Zealand', currency: 'NZD' },
];

export const REGION_CODES: readonly string[] = REGIONS.map((region) => region.code);

/**
 * A read sent without `region` answers as for this one (and says so), rather than picking a "best"
 * offer by comparing amounts in different currencies.
 */
export const DEFAULT_REGION = 'US';

export function regionByCode(code: string | null | undefined): Region | undefined {
  const upper = code?.toUpperCase();
  return REGIONS.find((region) => region.code === upper);
}

/** The region a read answers for: the one asked for, else the default. */
export function resolveRegion(code: string | null | undefined): Region {
  return regionByCode(code) ?? regionByCode(DEFAULT_REGION)!;
}
