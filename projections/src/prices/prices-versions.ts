import type { ProjectionContext } from '@mpp/projection-runner';
import { PART_PRICES, PRICE_VERSIONS } from './prices.tables.js';

/** The key of a part's prices answers, for the projector that moves it and the API that caches by it. */
export const partPricesKey = (partId: string): string => `prices:${partId}`;

/**
 * The current prices of the parts whose `part_prices` rows a batch changed. Each row keeps the
 * position of the observation it holds, and a row only ever takes a later event's observation, so
 * the greatest position among a part's rows is the last event that changed its prices: a function
 * of the rows, the same however the log was cut into batches.
 */
export async function writePriceVersions(ctx: ProjectionContext, changedParts: readonly string[]): Promise<void> {
  if (changedParts.length === 0) return;
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(PRICE_VERSIONS)} (key, position)
     SELECT ? || part_id, max(position) FROM ${ctx.qualified(PART_PRICES)} WHERE part_id = ANY(?::uuid[]) GROUP BY part_id
     ON CONFLICT (key) DO UPDATE SET position = GREATEST(${PRICE_VERSIONS}.position, EXCLUDED.position)`,
    [partPricesKey(''), [...changedParts]],
  );
}
