import { z } from 'zod';
import { EntityId, ShortText, UserId } from '../events/value-schemas.js';
import { SealedText } from '../personal-text/sealed-text.js';

export const BuildVisibility = z.enum(['private', 'unlisted', 'public']);
export type BuildVisibility = z.infer<typeof BuildVisibility>;

export const BUILD_PART_QUANTITY_MAX = 99;
export const BUILD_PARTS_MAX = 100;

const BuildPartNote = z.string().trim().min(1).max(500);

/** A part of a build as the rider writes it (commands, the decider's state). */
export const BuildPart = z.object({
  partId: EntityId,
  quantity: z.number().int().min(1).max(BUILD_PART_QUANTITY_MAX),
  note: BuildPartNote.optional(),
});
export type BuildPart = z.infer<typeof BuildPart>;

const distinctParts = (parts: readonly { partId: string }[]) => new Set(parts.map((part) => part.partId)).size === parts.length;

export const BuildParts = z.array(BuildPart).max(BUILD_PARTS_MAX).refine(distinctParts, 'lists a part more than once');

/**
 * A build's name and part notes are the rider's free text: plain in events written before
 * builds were sealed (December 2026), since then salted commitments whose ciphertext is in `metadata.sealed`
 * (`name`, `parts.<index>.note`; personal-text/personal-text-fields.ts).
 */
const StoredBuildPart = BuildPart.extend({ note: z.union([BuildPartNote, SealedText]).optional() });
const StoredBuildParts = z.array(StoredBuildPart).max(BUILD_PARTS_MAX).refine(distinctParts, 'lists a part more than once');

export const BuildName = ShortText.max(120);
const StoredBuildName = z.union([BuildName, SealedText]);

/** Revision 1; a build created with parts is followed by a BuildUpdated (revision 2) carrying them. */
export const BuildCreatedData = z.object({
  buildId: EntityId,
  ownerId: UserId,
  name: StoredBuildName,
  bikeId: EntityId,
  visibility: BuildVisibility,
});
export type BuildCreatedData = z.infer<typeof BuildCreatedData>;

export const BUILD_FIELDS = ['name', 'bikeId', 'visibility', 'parts'] as const;
export type BuildField = (typeof BUILD_FIELDS)[number];

/** A full snapshot of the build after the change, its new revision and which fields changed. */
export const BuildUpdatedData = z.object({
  buildId: EntityId,
  /** Whose key seals the name and notes; absent from updates written before builds were sealed. */
  ownerId: UserId.optional(),
  revision: z.number().int().min(2),
  name: StoredBuildName,
  bikeId: EntityId,
  visibility: BuildVisibility,
  parts: StoredBuildParts,
  changes: z.array(z.enum(BUILD_FIELDS)).min(1),
});
export type BuildUpdatedData = z.infer<typeof BuildUpdatedData>;

export const BuildDeletedData = z.object({
  buildId: EntityId,
});
export type BuildDeletedData = z.infer<typeof BuildDeletedData>;

/** What a build name reads as when it cannot be opened: its owner was erased, or its ciphertext was tampered with. */
export const UNREADABLE_BUILD_NAME = '(unreadable)';

/** The name as the rider wrote it, or UNREADABLE_BUILD_NAME while it is still sealed after opening. */
export function readableBuildName(name: z.infer<typeof StoredBuildName>): string {
  return typeof name === 'string' ? name : UNREADABLE_BUILD_NAME;
}

/** The parts as the rider wrote them; a note still sealed after opening reads as no note. */
export function readableBuildParts(parts: readonly z.infer<typeof StoredBuildPart>[]): BuildPart[] {
  return parts.map(({ note, ...part }) => (typeof note === 'string' ? { ...part, note } : part));
}
