import { z } from 'zod';
import { CurrencyCode, EntityId, HttpUrl, IsoInstant, ShortText } from '../events/value-schemas.js';

export const PriceObservedData = z.object({
  partId: EntityId,
  retailerId: EntityId,
  priceCents: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: CurrencyCode,
  inStock: z.boolean(),
  url: HttpUrl,
  observedAt: IsoInstant,
  /** Where the observation came from: `feed:<retailer-adapter>` for the hourly job, `admin` for a manual entry. */
  source: ShortText,
});
export type PriceObservedData = z.infer<typeof PriceObservedData>;
