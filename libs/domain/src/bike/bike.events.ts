import { z } from 'zod';
import { EntityId, ShortText } from '../events/value-schemas.js';

/** The first motorcycle (Daimler Reitwagen) is from 1885; the upper bound only catches typos. */
export const BikeYear = z.number().int().min(1885).max(2100);

export const BikeRegisteredData = z.object({
  bikeId: EntityId,
  year: BikeYear,
  make: ShortText,
  model: ShortText,
  trim: ShortText.optional(),
  engineCc: z.number().int().positive().max(10_000).optional(),
});
export type BikeRegisteredData = z.infer<typeof BikeRegisteredData>;
