import { PART_CATEGORIES, isSingleSlotCategory, type PartCategory } from '../part/part-categories.js';

export type BuildWarning =
  | { code: 'part_not_known_to_fit'; partId: string }
  | { code: 'single_slot_conflict'; category: PartCategory; partIds: string[] };

export interface BuildWarningsInput {
  /** The build's parts with their catalog category, in build order. */
  parts: readonly { partId: string; category: PartCategory }[];
  /**
   * Parts known to fit the build's bike. The read side decides what "known" means; the
   * expected choice is compatibility status `verified` or `community`.
   */
  partsKnownToFit: ReadonlySet<string>;
}

/**
 * Warnings in a stable order: unknown fits in build order, then slot conflicts in vocabulary order.
 * A slot conflict needs two different parts; one part with quantity 2 (a pair of slip-ons for a
 * twin exhaust) is not one.
 */
export function buildWarnings({ parts, partsKnownToFit }: BuildWarningsInput): BuildWarning[] {
  const warnings: BuildWarning[] = [];
  const partIdsByCategory = new Map<PartCategory, string[]>();
  const seen = new Set<string>();
  for (const { partId, category } of parts) {
    if (seen.has(partId)) continue;
    seen.add(partId);
    if (!partsKnownToFit.has(partId)) warnings.push({ code: 'part_not_known_to_fit', partId });
    partIdsByCategory.set(category, [...(partIdsByCategory.get(category) ?? []), partId]);
  }
  for (const category of PART_CATEGORIES) {
    const partIds = partIdsByCategory.get(category) ?? [];
    if (isSingleSlotCategory(category) && partIds.length > 1) warnings.push({ code: 'single_slot_conflict', category, partIds });
  }
  return warnings;
}
