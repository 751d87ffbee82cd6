import { createHash } from 'node:crypto';
import { canonicalJson } from '../identity/canonical-json.js';

/**
 * The tamper-evident chain of a `fitment-` stream (DESIGN §4, docs/domain.md "Hash chain").
 * Each event's metadata carries `prevHash` (the previous event's `hash`; GENESIS_HASH for
 * revision 0) and `hash` = lower-case hex SHA-256 of the UTF-8 bytes of the RFC 8785 canonical
 * JSON of the event's hashed envelope, whose shape depends on `metadata.hashVersion`:
 * - absent (version 1, events written before December): `{data, prevHash, revision, type}`;
 * - 2: `{actor, data, hashVersion: 2, occurredAt, prevHash, revision, type}`, so the time
 *   travel clock (`occurredAt`) and the attribution (`actor`) are covered too.
 * Anyone can recompute it with any JCS implementation and `sha256sum`.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** What new fitment events are hashed with. */
export const CURRENT_HASH_VERSION = 2;

export type HashVersion = 1 | typeof CURRENT_HASH_VERSION;

interface LinkCommon {
  type: string;
  /**
   * Hashed exactly as stored. The erasure extension point: a free-text field whose value is a
   * salted commitment object instead of the text is hashed the same way, so no recipe change.
   */
  data: unknown;
  prevHash: string;
  /** The event's revision in its stream (0 for the first). */
  revision: number | bigint;
}

export interface ChainLinkV1 extends LinkCommon {
  hashVersion?: 1;
}

export interface ChainLinkV2 extends LinkCommon {
  hashVersion: 2;
  /** `metadata.occurredAt`, the exact stored string. */
  occurredAt: string;
  /** `metadata.actor`. */
  actor: string;
}

export type ChainLink = ChainLinkV1 | ChainLinkV2;

/** The object whose canonical JSON is hashed; exposed so docs and other verifiers can show the bytes. */
export function hashedEnvelope(link: ChainLink): Record<string, unknown> {
  const common = { type: link.type, data: link.data, prevHash: link.prevHash, revision: revisionAsNumber(link.revision) };
  if (link.hashVersion === 2) return { ...common, occurredAt: link.occurredAt, actor: link.actor, hashVersion: 2 };
  return common;
}

export function hashFitmentEvent(link: ChainLink): string {
  return createHash('sha256').update(canonicalJson(hashedEnvelope(link)), 'utf8').digest('hex');
}

export interface ChainMetadata {
  hashVersion: typeof CURRENT_HASH_VERSION;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  /** `metadata.hash` of the stream's last event; undefined for an empty stream. */
  lastHash: string | undefined;
  /** The revision the first event about to be appended will get: 0 for a new stream, else last revision + 1. */
  nextRevision: number | bigint;
}

/** The metadata the events about to be appended will carry that the hash covers. */
export interface HashedMetadata {
  occurredAt: string;
  actor: string;
}

/**
 * hashVersion/prevHash/hash for each event about to be appended, in order (always the current
 * version); merge each into that event's metadata, which must carry `envelope` unchanged.
 */
export function chainMetadata(events: readonly { type: string; data: unknown }[], head: ChainHead, envelope: HashedMetadata): ChainMetadata[] {
  let prevHash = head.lastHash ?? GENESIS_HASH;
  const first = revisionAsNumber(head.nextRevision);
  return events.map((event, index) => {
    const hash = hashFitmentEvent({ hashVersion: 2, type: event.type, data: event.data, prevHash, revision: first + index, ...envelope });
    const link = { hashVersion: CURRENT_HASH_VERSION, prevHash, hash } as const;
    prevHash = hash;
    return link;
  });
}

export function revisionAsNumber(revision: number | bigint): number {
  const asNumber = Number(revision);
  if (!Number.isSafeInteger(asNumber) || asNumber < 0) throw new RangeError(`not a stream revision: ${revision}`);
  return asNumber;
}
