import { z } from 'zod';
import { EntityId, ShortText } from '../events/value-schemas.js';
import { PART_CATEGORIES, type PartCategory } from './part-categories.js';

export const PartCategoryKey = z.enum(PART_CATEGORIES as [PartCategory, ...PartCategory[]], {
  error: (issue) => `unknown part category ${JSON.stringify(issue.input)}`,
});

export const PartDescription = z.string().trim().min(1).max(10_000);

/** Free-form facts about a part (material, weight, E-mark...). Scalars only, so facets can use them. */
export const PartAttributes = z.record(z.string().min(1).max(100), z.union([z.string().max(1000), z.number(), z.boolean()]));
export type PartAttributes = z.infer<typeof PartAttributes>;

export const PartCatalogedData = z.object({
  partId: EntityId,
  sku: ShortText,
  brand: ShortText,
  name: ShortText,
  category: PartCategoryKey,
  description: PartDescription.optional(),
  attributes: PartAttributes.optional(),
});
export type PartCatalogedData = z.infer<typeof PartCatalogedData>;

export const REVISABLE_PART_FIELDS = ['brand', 'name', 'category', 'description', 'attributes'] as const;
export type RevisablePartField = (typeof REVISABLE_PART_FIELDS)[number];

/** Carries only the fields that changed, with their new values; `attributes` is replaced as a whole. */
export const PartDetailsRevisedData = z
  .object({
    partId: EntityId,
    brand: ShortText.optional(),
    name: ShortText.optional(),
    category: PartCategoryKey.optional(),
    description: PartDescription.optional(),
    attributes: PartAttributes.optional(),
  })
  .refine((data) => REVISABLE_PART_FIELDS.some((field) => data[field] !== undefined), 'must change at least one field');
export type PartDetailsRevisedData = z.infer<typeof PartDetailsRevisedData>;
