import type { RecordedEvent } from '@mpp/event-store';
import type { ProjectionContext } from '@mpp/projection-runner';
import { canonicalUuid } from '../compatibility/compatibility-fold.js';
import { touchKey, writeKeyVersions } from '../shared/key-versions.js';
import { fitmentPairOf } from '../shared/recorded-event.js';
import { VERIFICATION_LOG_VERSIONS } from './verification-log.tables.js';

/** The key of a part's audit trail answers, for the projector that moves it and the API that caches by it. */
export const partVerificationsKey = (partId: string): string => `verifications:${partId}`;

/**
 * Every chain event changes its part's trail (or its chain), and an erasure changes the trails of
 * the parts whose rows it cleared, each at the position of the event.
 */
export async function writeVerificationLogVersions(ctx: ProjectionContext, chainEvents: readonly RecordedEvent[], erasures: readonly { partIds: readonly string[]; position: bigint }[]): Promise<void> {
  const versions = new Map<string, bigint>();
  for (const event of chainEvents) touchKey(versions, partVerificationsKey(canonicalUuid(fitmentPairOf(event).partId)), event.position);
  for (const { partIds, position } of erasures) for (const partId of partIds) touchKey(versions, partVerificationsKey(canonicalUuid(partId)), position);
  await writeKeyVersions(ctx, VERIFICATION_LOG_VERSIONS, versions);
}
