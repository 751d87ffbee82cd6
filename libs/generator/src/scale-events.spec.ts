import { describe, expect, it } from '@jest/globals';
import { DOMAIN_EVENT_TYPES, hourOf, isFitmentStream, parseEvent, parseStreamName, verifyChain, type ChainedEvent } from '@mpp/domain';
import type { GeneratedEvent } from './generated-event.js';
import { planForEvents, totalEvents, type ScalePlan } from './scale-plan.js';
import { scaleEvents } from './scale-events.js';

const plan = planForEvents(20_000);
const generate = (seed: string, p: ScalePlan = plan): GeneratedEvent[] => [...scaleEvents({ plan: p, seed })];

describe('scale generator', () => {
  const events = generate('spec');

  it('gives the same events, ids and times included, for the same seed', () => {
    expect(generate('spec')).toEqual(events);
  });

  it('gives a different log for another seed', () => {
    const other = generate('another seed');
    expect(other.map((e) => e.eventId)).not.toEqual(events.map((e) => e.eventId));
    expect(other.filter((e) => e.type === 'VerificationSubmitted').map((e) => e.data)).not.toEqual(
      events.filter((e) => e.type === 'VerificationSubmitted').map((e) => e.data),
    );
  });

  it('writes exactly the planned number of events of each kind', () => {
    expect(events).toHaveLength(totalEvents(plan));
    const count = (...types: string[]) => events.filter((e) => types.includes(e.type)).length;
    expect(count('BikeRegistered')).toBe(plan.bikes);
    expect(count('PartCataloged')).toBe(plan.parts);
    expect(count('RetailerRegistered')).toBe(plan.retailers);
    expect(count('PriceObserved')).toBe(plan.priceObservations);
    expect(count('BuildCreated', 'BuildUpdated', 'BuildDeleted')).toBe(plan.buildEvents);
    expect(count('PartDetailsRevised')).toBe(plan.partRevisions);
    expect(count('RiderPreferencesChanged')).toBe(plan.riderPreferenceChanges);
    const officialPairs = new Set(events.filter((e) => e.type === 'FitmentPublished' && e.revision === 0).map((e) => e.stream));
    expect(officialPairs.size).toBe(plan.fitmentPairs);
    expect(count('VerificationSubmitted', 'VerificationRetracted', 'VerificationModerated', 'FitmentWithdrawn') + count('FitmentPublished') - plan.fitmentPairs).toBe(
      plan.verificationEvents,
    );
  });

  it('uses every v1 event type', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(DOMAIN_EVENT_TYPES));
  });

  it('generates only events that pass the domain schemas, with the metadata every event carries', () => {
    for (const event of events) {
      expect(() => parseEvent(event.type, event.data)).not.toThrow();
      expect(event.metadata).toEqual(
        expect.objectContaining({ correlationId: expect.any(String), causationId: expect.any(String), actor: expect.any(String), schemaVersion: 1 }),
      );
      expect(new Date(event.metadata.occurredAt).toISOString()).toBe(event.metadata.occurredAt);
      expect(parseStreamName(event.stream)).toBeDefined();
    }
  });

  it('numbers each stream from revision 0 without gaps, and never reuses an event id', () => {
    const nextRevision = new Map<string, number>();
    for (const event of events) {
      expect(event.revision).toBe(nextRevision.get(event.stream) ?? 0);
      nextRevision.set(event.stream, event.revision + 1);
    }
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('chains every fitment stream with valid hashes', () => {
    const streams = new Map<string, GeneratedEvent[]>();
    for (const event of events.filter((e) => isFitmentStream(e.stream))) streams.set(event.stream, [...(streams.get(event.stream) ?? []), event]);
    expect(streams.size).toBeGreaterThan(plan.fitmentPairs);
    for (const [stream, chain] of streams) {
      expect({ stream, result: verifyChain(asChained(chain)) }).toEqual({ stream, result: expect.objectContaining({ valid: true, eventCount: chain.length }) });
    }
  });

  it('follows the fitment rules: supersedes the rider’s active verification, retracts only an author’s active one', () => {
    const verifications = new Map<string, { userId: string; stream: string; active: boolean }>();
    const activeOf = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'VerificationSubmitted') {
        const { verificationId, userId, supersedes } = event.data as { verificationId: string; userId: string; supersedes?: string };
        expect(supersedes).toBe(activeOf.get(`${event.stream}|${userId}`));
        if (supersedes) verifications.get(supersedes)!.active = false;
        verifications.set(verificationId, { userId, stream: event.stream, active: true });
        activeOf.set(`${event.stream}|${userId}`, verificationId);
      }
      if (event.type === 'VerificationRetracted') {
        const { verificationId, userId } = event.data as { verificationId: string; userId: string };
        const verification = verifications.get(verificationId)!;
        expect(verification).toEqual({ userId, stream: event.stream, active: true });
        verification.active = false;
        activeOf.delete(`${event.stream}|${userId}`);
      }
    }
    expect(events.some((e) => e.type === 'VerificationSubmitted' && 'supersedes' in e.data)).toBe(true);
  });

  it('withdraws only a published fitment and alternates hiding and restoring a verification', () => {
    const official = new Map<string, string>();
    const hidden = new Map<string, boolean>();
    for (const event of events) {
      if (event.type === 'FitmentPublished') official.set(event.stream, 'published');
      if (event.type === 'FitmentWithdrawn') {
        expect(official.get(event.stream)).toBe('published');
        official.set(event.stream, 'withdrawn');
      }
      if (event.type === 'VerificationModerated') {
        const { verificationId, action } = event.data as { verificationId: string; action: string };
        expect(action).toBe(hidden.get(verificationId) ? 'restored' : 'hidden');
        hidden.set(verificationId, action === 'hidden');
      }
    }
    expect([...official.values()]).toContain('withdrawn');
  });

  it('observes a (part, retailer) at most once an hour, with the id the domain derives from it', () => {
    const prices = events.filter((e) => e.type === 'PriceObserved');
    const hours = prices.map((e) => {
      const { partId, retailerId, observedAt } = e.data as { partId: string; retailerId: string; observedAt: string };
      return `${partId}|${retailerId}|${hourOf(observedAt)}`;
    });
    expect(new Set(hours).size).toBe(prices.length);
  });

  it('skews popularity: the most verified part gets far more than an average one', () => {
    const perPart = new Map<unknown, number>();
    for (const event of events.filter((e) => e.type === 'VerificationSubmitted')) perPart.set(event.data.partId, (perPart.get(event.data.partId) ?? 0) + 1);
    const counts = [...perPart.values()].sort((a, b) => b - a);
    const average = counts.reduce((a, b) => a + b, 0) / plan.parts;
    expect(counts[0]).toBeGreaterThan(20 * average);
  });

  it('plans the documented 10,000,000-event target', () => {
    const target = planForEvents(10_000_000);
    expect(target).toMatchObject({ parts: 500_000, fitmentPairs: 5_000_000 });
    expect(totalEvents(target)).toBe(10_000_000);
  });
});

/** The chain fields of the metadata, the shape `verifyChain` reads. */
function asChained(events: readonly GeneratedEvent[]): ChainedEvent[] {
  return events.map((event) => ({ ...event, metadata: { prevHash: event.metadata.prevHash, hash: event.metadata.hash } }));
}
