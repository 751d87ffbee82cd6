import type { RecordedEvent } from '@mpp/event-store';
import { canonicalUuid } from '../compatibility/compatibility-fold.js';
import type { ProjectionContext } from '@mpp/projection-runner';
import { touchKey, writeKeyVersionsFromRows } from '../shared/key-versions.js';
import { fitmentPairOf } from '../shared/recorded-event.js';
import { VERIFICATION_LOG_EVENTS, VERIFICATION_LOG_VERSIONS } from './verification-log.tables.js';

/** The key of a part's audit trail answers, for the projector that moves it and the API that caches by it. */
export const partVerificationsKey = (partId: string): string => `verifications:${partId}`;

/**
 * Every chain event changes its part's trail (or its chain), at the position of the event: raised
 * in `versions` (the last touching event wins).
 */
export function touchChainEvents(versions: Map<string, bigint>, chainEvents: readonly RecordedEvent[]): void {
  for (const event of chainEvents) touchKey(versions, partVerificationsKey(canonicalUuid(fitmentPairOf(event).partId)), event.position);
}

/** An erasure changes the trails of the parts whose rows it cleared, at the erasure's position. */
export function touchTrails(versions: Map<string, bigint>, partIds: readonly string[], position: bigint): void {
  for (const partId of partIds) touchKey(versions, partVerificationsKey(canonicalUuid(partId)), position);
}

/**
 * What `touchChainEvents` leaves for every part, from the chain events stored: each is a row of
 * `verification_log_events` with its part and position, and none goes. Erasures' touches are not
 * rows; a bulk batch writes them as a live one does.
 */
export async function writeChainVersionsOfEvents(ctx: ProjectionContext): Promise<void> {
  await writeKeyVersionsFromRows(ctx, VERIFICATION_LOG_VERSIONS, { table: VERIFICATION_LOG_EVENTS, id: 'part_id', position: 'position', keyPrefix: partVerificationsKey('') }, 'all');
}
