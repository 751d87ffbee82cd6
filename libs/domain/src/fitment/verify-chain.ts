import { GENESIS_HASH, hashFitmentEvent, revisionAsNumber, type ChainLink, type HashVersion } from './hash-chain.js';

export interface ChainedEvent {
  revision: number | bigint;
  eventId: string;
  type: string;
  data: unknown;
  /** The stored metadata; version 2 hashes read `occurredAt` and `actor` from it too. */
  metadata: { prevHash?: unknown; hash?: unknown; hashVersion?: unknown; occurredAt?: unknown; actor?: unknown };
}

export type ChainBreak = 'hash_mismatch' | 'prev_hash_mismatch' | 'revision_gap' | 'unknown_hash_version' | 'hash_version_downgrade';

export type ChainVerification =
  | { valid: true; lastHash: string; eventCount: number }
  | { valid: false; brokenAt: { revision: number; eventId: string; reason: ChainBreak } };

export interface VerifyFrom {
  /** To verify a tail of the stream: the revision its first event must have. Default 0. */
  firstRevision?: number | bigint;
  /** ...and the hash of the event before it. Default GENESIS_HASH. */
  prevHash?: string;
  /** ...and that event's hash version (a tail cannot go back to an older one). Default 1. */
  hashVersion?: HashVersion;
}

/**
 * Walks the events in the order given (stream order) and names the first broken link:
 * - `revision_gap`: the revision is not the next one (an event removed, or events reordered);
 * - `prev_hash_mismatch`: the stored prevHash is not the previous event's hash (an event removed or
 *   replaced and the chain re-hashed from there, which moves the break to the next honest event);
 * - `hash_mismatch`: the stored hash is not the hash of the event's own envelope (type, data,
 *   prevHash, revision, and from version 2 occurredAt and actor): its content was changed;
 * - `unknown_hash_version`: `metadata.hashVersion` is neither absent (1) nor 2;
 * - `hash_version_downgrade`: a version 1 event after a version 2 one. Writers only move forward,
 *   so this is someone relabelling an event to escape the fields version 2 covers.
 * An empty list is a valid, empty chain.
 */
export function verifyChain(events: Iterable<ChainedEvent>, from: VerifyFrom = {}): ChainVerification {
  let expectedRevision = revisionAsNumber(from.firstRevision ?? 0);
  let previousHash = from.prevHash ?? GENESIS_HASH;
  let previousVersion: HashVersion = from.hashVersion ?? 1;
  let eventCount = 0;
  for (const event of events) {
    const revision = Number(event.revision);
    const broken = (reason: ChainBreak): ChainVerification => ({ valid: false, brokenAt: { revision, eventId: event.eventId, reason } });
    if (revision !== expectedRevision) return broken('revision_gap');
    const version = hashVersionOf(event.metadata);
    if (version === undefined) return broken('unknown_hash_version');
    if (version < previousVersion) return broken('hash_version_downgrade');
    const { prevHash, hash } = event.metadata;
    if (prevHash !== previousHash) return broken('prev_hash_mismatch');
    const link = linkOf(event, version, previousHash);
    if (typeof hash !== 'string' || link === undefined || hash !== hashFitmentEvent(link)) return broken('hash_mismatch');
    previousHash = hash;
    previousVersion = version;
    expectedRevision += 1;
    eventCount += 1;
  }
  return { valid: true, lastHash: previousHash, eventCount };
}

/** Absent means 1: events written before version 2 existed carry no version. */
export function hashVersionOf(metadata: ChainedEvent['metadata']): HashVersion | undefined {
  const version = metadata.hashVersion;
  if (version === undefined) return 1;
  return version === 1 || version === 2 ? version : undefined;
}

function linkOf(event: ChainedEvent, version: HashVersion, prevHash: string): ChainLink | undefined {
  const common = { type: event.type, data: event.data, prevHash, revision: Number(event.revision) };
  if (version === 1) return common;
  const { occurredAt, actor } = event.metadata;
  if (typeof occurredAt !== 'string' || typeof actor !== 'string') return undefined;
  return { ...common, hashVersion: 2, occurredAt, actor };
}
