import type { FittedBike, SearchDocument } from '../catalog-search.port.js';

/**
 * A part as Meilisearch stores it: the port's document plus the flattened arrays its filters and
 * searchable attributes need. `bikes` stays an array of objects (shown, never searched): keyed by
 * bike id it would add a field per bike, and an index holds at most 65,535 fields.
 */
export interface MeilisearchPart {
  id: string;
  slug: string;
  sku: string;
  brand: string;
  name: string;
  category: string;
  /** `category` exactly, as a filter Meilisearch cannot compare case-insensitively (categoryKeyOf). */
  categoryKey: string;
  description: string | null;
  bikes: FittedBike[];
  bikeIds: string[];
  /** "<bikeId>:<status>": one filter answers "parts that are verified on this bike". */
  fits: string[];
  statuses: string[];
  bikeLabels: string[];
  /** Absent rather than null: Meilisearch sorts documents without the field last, both ways. */
  bestPriceCents?: number;
  /** Each currency's best amount; `bestPrices.EUR` is absent for a part with no euro offer, so it sorts last. */
  bestPrices: Record<string, number>;
  currency: string | null;
  inStock: boolean | null;
  confirmations: number;
  refutations: number;
  updatedPosition: number;
}

export function toMeilisearchPart(document: SearchDocument): MeilisearchPart {
  const { bestPriceCents, ...rest } = document;
  return {
    ...rest,
    categoryKey: categoryKeyOf(document.category),
    bikeIds: document.bikes.map((b) => b.bikeId),
    fits: document.bikes.map((b) => `${b.bikeId}:${b.status}`),
    statuses: [...new Set(document.bikes.map((b) => b.status))].sort(),
    bikeLabels: document.bikes.map((b) => b.label),
    ...(bestPriceCents === null ? {} : { bestPriceCents }),
  };
}

/**
 * Meilisearch compares filter strings case-insensitively; hex of the UTF-8 bytes (lower case) keeps
 * `Exhaust` and `exhaust` apart, as PostgreSQL's `category = $1` does.
 */
export function categoryKeyOf(category: string): string {
  return Buffer.from(category, 'utf8').toString('hex');
}
