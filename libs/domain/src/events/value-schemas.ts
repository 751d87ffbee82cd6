import { z } from 'zod';

/**
 * Field schemas shared by the event schemas. Entity ids are UUIDs (deterministic v5 for catalog
 * entities, any version for verifications and builds); that also guarantees they never contain
 * `_`, the separator of two-id stream names such as `fitment-{partId}_{bikeId}`.
 */
export const EntityId = z.uuid();

/** User ids come from the `users` table; the domain only needs them to be opaque and non-empty. */
export const UserId = z.string().trim().min(1).max(128);

export const IsoInstant = z.iso.datetime({ offset: true });

export const HttpUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** ISO 4217 alphabetic code; the list itself changes over time, so only the shape is checked. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three upper-case letters');

export const ShortText = z.string().trim().min(1).max(200);

export const NOTES_MAX_LENGTH = 2000;

/** Counted in Unicode code points, so an emoji counts as one character as a rider would count it. */
export const Notes = z
  .string()
  .refine((text) => [...text].length <= NOTES_MAX_LENGTH, `must be at most ${NOTES_MAX_LENGTH} characters`);

export const Reason = z.string().trim().min(1).max(NOTES_MAX_LENGTH);

export const FitmentSource = z.enum(['manufacturer', 'retailer', 'staff']);
export type FitmentSource = z.infer<typeof FitmentSource>;
