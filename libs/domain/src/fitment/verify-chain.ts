import { GENESIS_HASH, hashFitmentEvent, revisionAsNumber } from './hash-chain.js';

export interface ChainedEvent {
  revision: number | bigint;
  eventId: string;
  type: string;
  data: unknown;
  metadata: { prevHash?: unknown; hash?: unknown };
}

export type ChainBreak = 'hash_mismatch' | 'prev_hash_mismatch' | 'revision_gap';

export type ChainVerification =
  | { valid: true; lastHash: string; eventCount: number }
  | { valid: false; brokenAt: { revision: number; eventId: string; reason: ChainBreak } };

export interface VerifyFrom {
  /** To verify a tail of the stream: the revision its first event must have. Default 0. */
  firstRevision?: number | bigint;
  /** ...and the hash of the event before it. Default GENESIS_HASH. */
  prevHash?: string;
}

/**
 * Walks the events in the order given (stream order) and names the first broken link:
 * - `revision_gap`: the revision is not the next one (an event removed, or events reordered);
 * - `prev_hash_mismatch`: the stored prevHash is not the previous event's hash (an event removed or
 *   replaced and the chain re-hashed from there, which moves the break to the next honest event);
 * - `hash_mismatch`: the stored hash is not the hash of the event's own type, data, prevHash and
 *   revision (its content was changed).
 * An empty list is a valid, empty chain.
 */
export function verifyChain(events: Iterable<ChainedEvent>, from: VerifyFrom = {}): ChainVerification {
  let expectedRevision = revisionAsNumber(from.firstRevision ?? 0);
  let previousHash = from.prevHash ?? GENESIS_HASH;
  let eventCount = 0;
  for (const event of events) {
    const revision = Number(event.revision);
    const broken = (reason: ChainBreak): ChainVerification => ({ valid: false, brokenAt: { revision, eventId: event.eventId, reason } });
    if (revision !== expectedRevision) return broken('revision_gap');
    const { prevHash, hash } = event.metadata;
    if (prevHash !== previousHash) return broken('prev_hash_mismatch');
    if (typeof hash !== 'string' || hash !== hashFitmentEvent({ type: event.type, data: event.data, prevHash: previousHash, revision })) {
      return broken('hash_mismatch');
    }
    previousHash = hash;
    expectedRevision += 1;
    eventCount += 1;
  }
  return { valid: true, lastHash: previousHash, eventCount };
}
