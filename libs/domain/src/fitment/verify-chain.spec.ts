import { describe, expect, it } from '@jest/globals';
import { storedFitmentStream } from '../testing/chained-fitment-stream.js';
import { GENESIS_HASH, hashFitmentEvent } from './hash-chain.js';
import { verifyChain } from './verify-chain.js';

describe('verifyChain', () => {
  it('accepts an untouched stream', () => {
    const stream = storedFitmentStream();
    expect(verifyChain(stream)).toEqual({ valid: true, lastHash: stream[3]!.metadata.hash, eventCount: 4 });
  });

  it('accepts an empty stream', () => {
    expect(verifyChain([])).toEqual({ valid: true, lastHash: GENESIS_HASH, eventCount: 0 });
  });

  it('detects a changed event', () => {
    const stream = storedFitmentStream();
    stream[1] = { ...stream[1]!, data: { ...(stream[1]!.data as object), fits: false } };
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 1, eventId: 'event-1', reason: 'hash_mismatch' } });
  });

  it('detects a changed event whose own hash was recomputed, at the next link', () => {
    const stream = storedFitmentStream();
    const forged = { ...(stream[1]!.data as object), fits: false };
    const forgedHash = hashFitmentEvent({ type: stream[1]!.type, data: forged, prevHash: stream[0]!.metadata.hash as string, revision: 1 });
    stream[1] = { ...stream[1]!, data: forged, metadata: { ...stream[1]!.metadata, hash: forgedHash } };
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 2, eventId: 'event-2', reason: 'prev_hash_mismatch' } });
  });

  it('detects a removed event', () => {
    const stream = storedFitmentStream();
    stream.splice(1, 1);
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 2, eventId: 'event-2', reason: 'revision_gap' } });
  });

  it('detects a removed event when the revisions were renumbered', () => {
    const stream = storedFitmentStream();
    stream.splice(1, 1);
    const renumbered = stream.map((event, revision) => ({ ...event, revision }));
    expect(verifyChain(renumbered)).toEqual({ valid: false, brokenAt: { revision: 1, eventId: 'event-2', reason: 'prev_hash_mismatch' } });
  });

  it('detects reordered events', () => {
    const stream = storedFitmentStream();
    [stream[1], stream[2]] = [stream[2]!, stream[1]!];
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 2, eventId: 'event-2', reason: 'revision_gap' } });
  });

  it('detects reordered events that were given the revision of their new position', () => {
    const stream = storedFitmentStream();
    const swapped = [stream[0]!, { ...stream[2]!, revision: 1n }, { ...stream[1]!, revision: 2n }, stream[3]!];
    expect(verifyChain(swapped)).toEqual({ valid: false, brokenAt: { revision: 1, eventId: 'event-2', reason: 'prev_hash_mismatch' } });
  });

  it('detects an event that lost its hash', () => {
    const stream = storedFitmentStream();
    stream[0] = { ...stream[0]!, metadata: { prevHash: GENESIS_HASH } };
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 0, eventId: 'event-0', reason: 'hash_mismatch' } });
  });

  it('verifies a tail of the stream from a known link', () => {
    const stream = storedFitmentStream();
    const tail = verifyChain(stream.slice(2), { firstRevision: 2, prevHash: stream[1]!.metadata.hash as string });
    expect(tail).toEqual({ valid: true, lastHash: stream[3]!.metadata.hash, eventCount: 2 });
  });
});
