import type { RecordedEvent } from '@mpp/event-store';
import type { ProjectionContext } from '@mpp/projection-runner';
import { canonicalUuid, type CompatibilityFact } from '../compatibility/compatibility-fold.js';
import { touchKey, writeKeyVersions } from './key-versions.js';
import { fitmentPairOf } from './recorded-event.js';

/**
 * The per-part versions of the verification log, the compatibility records and the current prices:
 * the answers the API caches per part (a part's audit trail, its compatibility with a bike, its
 * prices) are labelled and evicted by them. Keys and tables are spelled here alone, for the
 * projector that writes them and the API that reads them.
 */
export const VERIFICATION_LOG_VERSIONS = 'verification_log_versions';
export const COMPATIBILITY_VERSIONS = 'compatibility_versions';
export const PRICE_VERSIONS = 'price_versions';

export const partVerificationsKey = (partId: string): string => `verifications:${partId}`;
export const partCompatibilityKey = (partId: string): string => `compatibility:${partId}`;
export const partPricesKey = (partId: string): string => `prices:${partId}`;

/**
 * The verification log: every chain event changes its part's trail (or its chain), and an erasure
 * changes the trails of the parts whose rows it cleared, each at the position of the event.
 */
export async function writeVerificationLogVersions(ctx: ProjectionContext, chainEvents: readonly RecordedEvent[], erasures: readonly { partIds: readonly string[]; position: bigint }[]): Promise<void> {
  const versions = new Map<string, bigint>();
  for (const event of chainEvents) touchKey(versions, partVerificationsKey(canonicalUuid(fitmentPairOf(event).partId)), event.position);
  for (const { partIds, position } of erasures) for (const partId of partIds) touchKey(versions, partVerificationsKey(canonicalUuid(partId)), position);
  await writeKeyVersions(ctx, VERIFICATION_LOG_VERSIONS, versions);
}

/** The compatibility records: each fact on a pair moves its part's version (part fields copied into records show in no per-part answer). */
export async function writeCompatibilityVersions(ctx: ProjectionContext, facts: readonly CompatibilityFact[]): Promise<void> {
  const versions = new Map<string, bigint>();
  for (const fact of facts) if ('pair' in fact) touchKey(versions, partCompatibilityKey(canonicalUuid(fact.pair.partId)), fact.position);
  await writeKeyVersions(ctx, COMPATIBILITY_VERSIONS, versions);
}

/**
 * The current prices of the parts whose `part_prices` rows a batch changed. Each row keeps the
 * position of the observation it holds, and a row only ever takes a later event's observation, so
 * the greatest position among a part's rows is the last event that changed its prices: a function
 * of the rows, the same however the log was cut into batches.
 */
export async function writePriceVersions(ctx: ProjectionContext, partPrices: string, changedParts: readonly string[]): Promise<void> {
  if (changedParts.length === 0) return;
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(PRICE_VERSIONS)} (key, position)
     SELECT ? || part_id, max(position) FROM ${ctx.qualified(partPrices)} WHERE part_id = ANY(?::uuid[]) GROUP BY part_id
     ON CONFLICT (key) DO UPDATE SET position = GREATEST(${PRICE_VERSIONS}.position, EXCLUDED.position)`,
    [partPricesKey(''), [...changedParts]],
  );
}
