import { createHash } from 'node:crypto';
import { canonicalJson } from '../identity/canonical-json.js';

/**
 * The tamper-evident chain of a `fitment-` stream (DESIGN §4). Each event's metadata carries
 * `prevHash` (the previous event's `hash`; GENESIS_HASH for revision 0) and
 * `hash` = lower-case hex SHA-256 of the UTF-8 bytes of the RFC 8785 canonical JSON of
 * `{"data":…,"prevHash":…,"revision":<number>,"type":…}`.
 * Anyone can recompute it with any JCS implementation and `sha256sum`.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainLink {
  type: string;
  data: unknown;
  prevHash: string;
  /** The event's revision in its stream (0 for the first). */
  revision: number | bigint;
}

export function hashFitmentEvent({ type, data, prevHash, revision }: ChainLink): string {
  const canonical = canonicalJson({ type, data, prevHash, revision: revisionAsNumber(revision) });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export interface ChainMetadata {
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  /** `metadata.hash` of the stream's last event; undefined for an empty stream. */
  lastHash: string | undefined;
  /** The revision the first event about to be appended will get: 0 for a new stream, else last revision + 1. */
  nextRevision: number | bigint;
}

/** prevHash/hash for each event about to be appended, in order; merge each into that event's metadata. */
export function chainMetadata(events: readonly { type: string; data: unknown }[], head: ChainHead): ChainMetadata[] {
  let prevHash = head.lastHash ?? GENESIS_HASH;
  const first = revisionAsNumber(head.nextRevision);
  return events.map((event, index) => {
    const hash = hashFitmentEvent({ type: event.type, data: event.data, prevHash, revision: first + index });
    const link = { prevHash, hash };
    prevHash = hash;
    return link;
  });
}

export function revisionAsNumber(revision: number | bigint): number {
  const asNumber = Number(revision);
  if (!Number.isSafeInteger(asNumber) || asNumber < 0) throw new RangeError(`not a stream revision: ${revision}`);
  return asNumber;
}
