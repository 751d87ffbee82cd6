import { describe, expect, it } from '@jest/globals';
import { storedFitmentStream, storedV1FitmentStream } from '../testing/chained-fitment-stream.js';
import { GENESIS_HASH, chainMetadata, hashFitmentEvent } from './hash-chain.js';
import { verifyChain, type ChainedEvent } from './verify-chain.js';

const withMetadata = (event: ChainedEvent, changes: Record<string, unknown>): ChainedEvent => ({ ...event, metadata: { ...event.metadata, ...changes } });

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

  it('given a version 2 stream, when occurredAt of one event is edited, then that event is named', () => {
    const stream = storedFitmentStream();
    stream[2] = withMetadata(stream[2]!, { occurredAt: '2026-10-01T09:30:00.000Z' });
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 2, eventId: 'event-2', reason: 'hash_mismatch' } });
  });

  it('given a version 2 stream, when the actor of one event is edited, then that event is named', () => {
    const stream = storedFitmentStream();
    stream[1] = withMetadata(stream[1]!, { actor: 'user-someone-else' });
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 1, eventId: 'event-1', reason: 'hash_mismatch' } });
  });

  it('given a version 2 event, when its occurredAt is removed, then it is a hash mismatch', () => {
    const stream = storedFitmentStream();
    const { occurredAt: _dropped, ...rest } = stream[0]!.metadata;
    stream[0] = { ...stream[0]!, metadata: rest };
    expect(verifyChain(stream)).toMatchObject({ valid: false, brokenAt: { revision: 0, reason: 'hash_mismatch' } });
  });

  it('given a version 1 stream, then it still verifies as version 1, and occurredAt is outside its hash', () => {
    const stream = storedV1FitmentStream();
    expect(verifyChain(stream)).toMatchObject({ valid: true, eventCount: 4 });
    stream[1] = withMetadata(stream[1]!, { occurredAt: '1999-01-01T00:00:00.000Z' });
    expect(verifyChain(stream)).toMatchObject({ valid: true });
  });

  it('given a version 1 stream, when version 2 events are appended, then the whole chain verifies', () => {
    const v1 = storedV1FitmentStream().slice(0, 2);
    const next = { type: 'VerificationRetracted', data: { verificationId: 'v', userId: 'u' } };
    const [link] = chainMetadata([next], { lastHash: v1[1]!.metadata.hash as string, nextRevision: 2 }, { actor: 'u', occurredAt: '2026-12-03T08:00:00.000Z' });
    const mixed = [...v1, { ...next, revision: 2n, eventId: 'event-2', metadata: { actor: 'u', occurredAt: '2026-12-03T08:00:00.000Z', ...link! } }];
    expect(verifyChain(mixed)).toMatchObject({ valid: true, eventCount: 3, lastHash: link!.hash });
  });

  it('given a version 2 event relabelled version 1 and re-hashed, then the downgrade is named', () => {
    const stream = storedFitmentStream();
    const victim = stream[1]!;
    const { hashVersion: _v, ...rest } = victim.metadata;
    const v1Hash = hashFitmentEvent({ type: victim.type, data: victim.data, prevHash: rest.prevHash as string, revision: 1 });
    stream[1] = { ...victim, metadata: { ...rest, hash: v1Hash } };
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 1, eventId: 'event-1', reason: 'hash_version_downgrade' } });
  });

  it('names an unknown hash version', () => {
    const stream = storedFitmentStream();
    stream[0] = withMetadata(stream[0]!, { hashVersion: 3 });
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 0, eventId: 'event-0', reason: 'unknown_hash_version' } });
  });

  it('detects a changed event whose own hash was recomputed, at the next link', () => {
    const stream = storedFitmentStream();
    const forged = { ...(stream[1]!.data as object), fits: false };
    const { actor, occurredAt, prevHash } = stream[1]!.metadata as { actor: string; occurredAt: string; prevHash: string };
    const forgedHash = hashFitmentEvent({ hashVersion: 2, type: stream[1]!.type, data: forged, prevHash, revision: 1, actor, occurredAt });
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
    const { hash: _lost, ...rest } = stream[0]!.metadata;
    stream[0] = { ...stream[0]!, metadata: rest };
    expect(verifyChain(stream)).toEqual({ valid: false, brokenAt: { revision: 0, eventId: 'event-0', reason: 'hash_mismatch' } });
  });

  it('verifies a tail of the stream from a known link', () => {
    const stream = storedFitmentStream();
    const tail = verifyChain(stream.slice(2), { firstRevision: 2, prevHash: stream[1]!.metadata.hash as string, hashVersion: 2 });
    expect(tail).toEqual({ valid: true, lastHash: stream[3]!.metadata.hash, eventCount: 2 });
  });
});
