import type { ProjectionContext } from '@mpp/projection-runner';
import { writeKeyVersionsFromRows } from '../shared/key-versions.js';
import type { Keys } from '../shared/keys-filter.js';
import { PART_PRICES, PRICE_VERSIONS } from './prices.tables.js';

/** The key of a part's prices answers, for the projector that moves it and the API that caches by it. */
export const partPricesKey = (partId: string): string => `prices:${partId}`;

/**
 * The current prices of the parts whose `part_prices` rows a batch changed (`'all'`: every part, a
 * bulk finish). Each row keeps the position of the observation it holds, and a row only ever takes
 * a later event's observation, so the greatest position among a part's rows is the last event that
 * changed its prices: a function of the rows, the same however the log was cut into batches.
 */
export async function writePriceVersions(ctx: ProjectionContext, changedParts: Keys): Promise<void> {
  await writeKeyVersionsFromRows(ctx, PRICE_VERSIONS, { table: PART_PRICES, id: 'part_id', position: 'position', keyPrefix: partPricesKey('') }, changedParts);
}
