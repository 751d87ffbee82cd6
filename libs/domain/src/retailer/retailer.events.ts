import { z } from 'zod';
import { EntityId, HttpUrl, ShortText } from '../events/value-schemas.js';

export const RetailerRegisteredData = z.object({
  retailerId: EntityId,
  name: ShortText,
  baseUrl: HttpUrl,
  /** Name of the affiliate network or programme the links go through, e.g. `awin`. */
  affiliateProgram: ShortText.optional(),
});
export type RetailerRegisteredData = z.infer<typeof RetailerRegisteredData>;
