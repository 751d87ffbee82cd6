import { z } from 'zod';
import { EntityId, UserId } from '../events/value-schemas.js';
import { REGION_CODES } from '../price/regions.js';

export const RegionCode = z.enum(REGION_CODES as [string, ...string[]]);

/**
 * What a signed-in rider chose, on their account (stream `rider-{userId}`): the region whose
 * currency prices are compared in, and the garage's current bike (null: none). Only the fields that
 * changed are present. Neither is personal data: a country and a catalog bike id.
 */
export const RiderPreferencesChangedData = z.object({
  userId: UserId,
  region: RegionCode.optional(),
  garageBikeId: EntityId.nullable().optional(),
});
export type RiderPreferencesChangedData = z.infer<typeof RiderPreferencesChangedData>;
