import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CURRENT_SCHEMA_VERSION, buildStream, fitmentStream, openPersonalText, verifyChain } from '@mpp/domain';
import { eventsToAppend, sealEvent, type EventEnvelope } from './event-envelope.js';

const envelope: EventEnvelope = { actor: 'user-1', correlationId: 'corr-1', causationId: 'req-1', occurredAt: '2025-03-01T12:00:00Z' };
const pair = { partId: 'part-1', bikeId: 'bike-1' };

describe('the event envelope every writer shares', () => {
  it('gives every event the same metadata, the occurredAt string stored as given', () => {
    const [first, second] = eventsToAppend(buildStream('b-1'), [{ type: 'BuildDeleted', data: { buildId: 'b-1' } }, { type: 'BuildDeleted', data: { buildId: 'b-1' } }], { lastHash: undefined, nextRevision: 0n }, envelope);
    expect(first!.metadata).toEqual({ ...envelope, schemaVersion: CURRENT_SCHEMA_VERSION });
    expect(second!.metadata).toEqual(first!.metadata);
    expect(first!.eventId).not.toBe(second!.eventId);
  });

  it('continues a fitment stream hash chain that verifies, across two appends', () => {
    const published = { type: 'FitmentPublished', data: { ...pair, source: 'manufacturer' } };
    const withdrawn = { type: 'FitmentWithdrawn', data: { ...pair, source: 'staff', reason: 'Recalled' } };
    const stream = fitmentStream(pair.partId, pair.bikeId);
    const [one] = eventsToAppend(stream, [published], { lastHash: undefined, nextRevision: 0n }, envelope);
    const [two] = eventsToAppend(stream, [withdrawn], { lastHash: String(one!.metadata.hash), nextRevision: 1n }, { ...envelope, actor: 'user-2' });
    const stored = [one!, two!].map((event, revision) => ({ ...event, revision }));
    expect(verifyChain(stored)).toMatchObject({ valid: true });
    // The chain covers the actor: relabelling who did it breaks it.
    expect(verifyChain([stored[0]!, { ...stored[1]!, metadata: { ...stored[1]!.metadata, actor: 'user-3' } }])).toMatchObject({ valid: false });
  });

  it('stores a rider’s free text sealed under their key, and opens with it', async () => {
    const key = randomBytes(32);
    const owners: string[] = [];
    const sealed = await sealEvent({ type: 'VerificationSubmitted', data: { verificationId: 'v-1', ...pair, userId: 'user-1', fits: true, notes: 'Needs a spacer' } }, async (owner) => {
      owners.push(owner);
      return key;
    });
    const [event] = eventsToAppend(fitmentStream(pair.partId, pair.bikeId), [sealed], { lastHash: undefined, nextRevision: 0n }, envelope);
    expect(owners).toEqual(['user-1']);
    expect(JSON.stringify(event!.data)).not.toContain('Needs a spacer');
    expect(event!.metadata.sealed).toBeDefined();
    expect(openPersonalText(event!.type, event!.data, event!.metadata, new Map([['user-1', key]])).data).toMatchObject({ notes: 'Needs a spacer' });
  });

  it('asks for no key when the event carries no free text', async () => {
    const sealed = await sealEvent({ type: 'BuildDeleted', data: { buildId: 'b-1' } }, () => Promise.reject(new Error('no key expected')));
    expect(sealed.sealed).toBeUndefined();
  });
});
