import type { PartAttributes } from './part.events.js';

/**
 * Catalogs a part, or, when it exists, revises the details that differ. Optional fields left out
 * mean "no information", never "clear it", so a sparse re-import cannot erase a description.
 */
export interface CatalogPart {
  type: 'CatalogPart';
  /** Must be `partIdFor(sku)`. */
  partId: string;
  sku: string;
  brand: string;
  name: string;
  /** A key of the part-category vocabulary; anything else is a ValidationFailed on `category`. */
  category: string;
  description?: string | undefined;
  attributes?: PartAttributes | undefined;
}

export type PartCommand = CatalogPart;
