import { bikeSlug, type BikeNaming } from './slugs.js';

/**
 * The normalised keys that decide whether two inputs name the same entity. They feed the
 * deterministic ids, so changing one re-identifies every entity of that kind: don't, without a migration.
 */

/**
 * A bike is its slug: case, accents, spacing and punctuation do not make a different bike
 * ("MT-07", "mt 07" and "MT 07" are one bike; "MT07" is not).
 */
export function bikeIdentityKey(bike: BikeNaming): string {
  return bikeSlug(bike);
}

/** Upper-case, without any whitespace; hyphens and dots are kept because manufacturers use them meaningfully. */
export function normaliseSku(sku: string): string {
  return sku.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

/** Retailer names are compared case- and spacing-insensitively, script-preserving (no slug). */
export function retailerIdentityKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}
