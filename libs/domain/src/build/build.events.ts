import { z } from 'zod';
import { EntityId, ShortText, UserId } from '../events/value-schemas.js';

export const BuildVisibility = z.enum(['private', 'unlisted', 'public']);
export type BuildVisibility = z.infer<typeof BuildVisibility>;

export const BUILD_PART_QUANTITY_MAX = 99;
export const BUILD_PARTS_MAX = 100;

export const BuildPart = z.object({
  partId: EntityId,
  quantity: z.number().int().min(1).max(BUILD_PART_QUANTITY_MAX),
  note: z.string().trim().min(1).max(500).optional(),
});
export type BuildPart = z.infer<typeof BuildPart>;

export const BuildParts = z
  .array(BuildPart)
  .max(BUILD_PARTS_MAX)
  .refine((parts) => new Set(parts.map((part) => part.partId)).size === parts.length, 'lists a part more than once');

export const BuildName = ShortText.max(120);

/** Revision 1; a build created with parts is followed by a BuildUpdated (revision 2) carrying them. */
export const BuildCreatedData = z.object({
  buildId: EntityId,
  ownerId: UserId,
  name: BuildName,
  bikeId: EntityId,
  visibility: BuildVisibility,
});
export type BuildCreatedData = z.infer<typeof BuildCreatedData>;

export const BUILD_FIELDS = ['name', 'bikeId', 'visibility', 'parts'] as const;
export type BuildField = (typeof BUILD_FIELDS)[number];

/** A full snapshot of the build after the change, its new revision and which fields changed. */
export const BuildUpdatedData = z.object({
  buildId: EntityId,
  revision: z.number().int().min(2),
  name: BuildName,
  bikeId: EntityId,
  visibility: BuildVisibility,
  parts: BuildParts,
  changes: z.array(z.enum(BUILD_FIELDS)).min(1),
});
export type BuildUpdatedData = z.infer<typeof BuildUpdatedData>;

export const BuildDeletedData = z.object({
  buildId: EntityId,
});
export type BuildDeletedData = z.infer<typeof BuildDeletedData>;
