import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { compatibilityFromEvents, parseEvent } from '@mpp/domain';
import {
  canonicalUuid,
  compatibilityFactOf,
  foldCompatibility,
  keysOf,
  type LoadedRows,
  type StoredRecord,
  type VerificationRow,
} from './compatibility-fold.js';
import {
  at,
  fitmentPublished,
  fitmentWithdrawn,
  partCataloged,
  partDetailsRevised,
  recordedEvents,
  verificationModerated,
  verificationRetracted,
  verificationSubmitted,
  type GivenEvent,
  type Pair,
} from '../testing/given-events.js';

const nothingLoaded: LoadedRows = { parts: [], records: [], verifications: [] };

const fold = (events: GivenEvent[], loaded: LoadedRows = nothingLoaded) => foldCompatibility(recordedEvents(events).map(compatibilityFactOf), loaded);

const aPair = (): Pair => ({ partId: randomUUID(), bikeId: randomUUID() });

/** A stored record with no official fitment and the given counts. */
const recordOf = (pair: Pair, counts: Partial<Pick<StoredRecord, 'confirmations' | 'refutations'>>): StoredRecord => ({
  part_id: pair.partId,
  bike_id: pair.bikeId,
  official_status: 'none',
  official_source: null,
  confirmations: 0,
  refutations: 0,
  ...counts,
});

const verificationRow = (pair: Pair, fields: Partial<VerificationRow> = {}): VerificationRow => ({
  verification_id: randomUUID(),
  part_id: pair.partId,
  bike_id: pair.bikeId,
  user_id: 'rider-1',
  fits: true,
  lifecycle: 'active',
  hidden: false,
  ...fields,
});

describe('compatibility fold', () => {
  it("writes one record per pair, counted after the batch's last event of the pair and dated by it", () => {
    const pair = aPair();
    const { records } = fold([
      fitmentPublished(pair, 'retailer'),
      verificationSubmitted(pair, { userId: 'rider-1', fits: true }),
      verificationSubmitted(pair, { userId: 'rider-2', fits: false }),
      at('2025-04-02T10:00:00+02:00', fitmentWithdrawn(pair)),
    ]);
    expect(records).toEqual([
      expect.objectContaining({
        part_id: pair.partId,
        bike_id: pair.bikeId,
        status: 'disputed',
        status_rank: 2,
        confirmations: 1,
        refutations: 1,
        official_status: 'withdrawn',
        official_source: null,
        last_event_at: new Date('2025-04-02T08:00:00.000Z'),
        last_position: 4n,
      }),
    ]);
  });

  it("agrees with the domain's fold of the pair's stream", () => {
    const pair = aPair();
    const first = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const retracted = verificationSubmitted(pair, { userId: 'rider-2', fits: true });
    const restored = verificationSubmitted(pair, { userId: 'rider-3', fits: false });
    const history = [
      fitmentPublished(pair),
      first,
      verificationSubmitted(pair, { userId: 'rider-1', fits: false, supersedes: first.data.verificationId }),
      retracted,
      verificationRetracted(pair, retracted.data.verificationId, 'rider-2'),
      restored,
      verificationModerated(pair, restored.data.verificationId, 'hidden'),
      verificationModerated(pair, restored.data.verificationId, 'restored'),
      fitmentWithdrawn(pair),
    ];
    const expected = compatibilityFromEvents(history.map((event) => parseEvent(event.type, event.data)));
    const [record] = fold(history).records;
    expect(record).toMatchObject({ status: expected.status, confirmations: expected.confirmations, refutations: expected.refutations });
  });

  it('keeps the official fitment of a loaded record through verification events', () => {
    const pair = aPair();
    const official: StoredRecord = { ...recordOf(pair, {}), official_status: 'published', official_source: 'manufacturer' };
    const { records } = fold([verificationSubmitted(pair, { userId: 'rider-1', fits: false })], { ...nothingLoaded, records: [official] });
    expect(records[0]).toMatchObject({ status: 'verified', official_status: 'published', official_source: 'manufacturer', refutations: 1 });
  });

  it('recounts from the counts stored for the pair', () => {
    const pair = aPair();
    const { records } = fold([verificationSubmitted(pair, { userId: 'rider-2', fits: false })], { ...nothingLoaded, records: [recordOf(pair, { confirmations: 2 })] });
    expect(records[0]).toMatchObject({ status: 'community', confirmations: 2, refutations: 1 });
  });

  it('takes a stored verification the batch changes out of the count it was in', () => {
    const pair = aPair();
    const stored = verificationRow(pair, { fits: true });
    const loaded = { ...nothingLoaded, verifications: [stored], records: [recordOf(pair, { confirmations: 3 })] };
    const { records, verifications } = fold([verificationModerated(pair, stored.verification_id, 'hidden')], loaded);
    expect(verifications).toEqual([{ ...stored, hidden: true }]);
    expect(records[0]).toMatchObject({ status: 'community', confirmations: 2 });
  });

  it('leaves the part fields of a pair empty until its part is cataloged, then fills them', () => {
    const cataloged = partCataloged({ brand: 'Akrapovič', name: 'Slip-On', category: 'exhaust' });
    const pair = { partId: cataloged.data.partId, bikeId: randomUUID() };
    expect(fold([verificationSubmitted(pair, { userId: 'rider-1', fits: true })]).records[0]).toMatchObject({ part_category: null, part_brand: null, part_name: null });

    const { records, parts } = fold([verificationSubmitted(pair, { userId: 'rider-1', fits: true }), cataloged]);
    expect(records[0]).toMatchObject({ part_category: 'exhaust', part_brand: 'Akrapovič', part_name: 'Slip-On' });
    expect(parts).toEqual([{ id: pair.partId, category: 'exhaust', brand: 'Akrapovič', name: 'Slip-On' }]);
  });

  it('revises only the named fields of a cataloged part, and copies them into its records', () => {
    const pair = aPair();
    const loaded = { ...nothingLoaded, parts: [{ id: pair.partId, category: 'exhaust', brand: 'Akrapovič', name: 'Slip-On' }] };
    const { records, parts } = fold([verificationSubmitted(pair, { userId: 'rider-1', fits: true }), partDetailsRevised(pair.partId, { brand: 'Akrapovic' })], loaded);
    expect(parts).toEqual([{ id: pair.partId, category: 'exhaust', brand: 'Akrapovic', name: 'Slip-On' }]);
    expect(records[0]).toMatchObject({ part_category: 'exhaust', part_brand: 'Akrapovic', part_name: 'Slip-On' });
  });

  it('writes no part for a revision of other fields, of a part not cataloged, or a second cataloging', () => {
    const again = partCataloged({ name: 'Another name' });
    const partId = again.data.partId;
    const loaded = { ...nothingLoaded, parts: [{ id: partId, category: 'exhaust', brand: 'Akrapovič', name: 'Slip-On' }] };
    expect(fold([partDetailsRevised(partId, { description: 'Lighter than stock' }), again], loaded).parts).toEqual([]);
    expect(fold([partDetailsRevised(randomUUID(), { name: 'Renamed' })]).parts).toEqual([]);
  });

  it('still recounts and dates a pair on a retraction or moderation of a verification it does not hold', () => {
    const pair = aPair();
    const elsewhere = verificationRow(aPair());
    const loaded = { ...nothingLoaded, verifications: [elsewhere] };
    const { records, verifications } = fold(
      [verificationRetracted(pair, randomUUID(), 'rider-1'), verificationModerated(pair, elsewhere.verification_id, 'hidden')],
      loaded,
    );
    expect(verifications).toEqual([]);
    expect(records).toEqual([expect.objectContaining({ part_id: pair.partId, status: 'no_data', confirmations: 0, last_position: 2n })]);
  });

  it('does not insert a known verification id again, yet applies what it supersedes', () => {
    const pair = aPair();
    const previous = verificationRow(pair, { user_id: 'rider-1', fits: true });
    const known = verificationRow(aPair(), { user_id: 'rider-1', fits: true });
    const resubmitted = verificationSubmitted(pair, { userId: 'rider-1', fits: false, verificationId: known.verification_id, supersedes: previous.verification_id });
    const { verifications, records } = fold([resubmitted], { ...nothingLoaded, verifications: [previous, known], records: [recordOf(pair, { confirmations: 1 })] });
    expect(verifications).toEqual([{ ...previous, lifecycle: 'superseded' }]);
    expect(records[0]).toMatchObject({ status: 'no_data', confirmations: 0, refutations: 0 });
  });

  it('meets stored rows whatever the case of the ids in the events', () => {
    const pair = aPair();
    const stored = verificationRow(pair);
    const shouting = { partId: pair.partId.toUpperCase(), bikeId: pair.bikeId.toUpperCase() };
    const loaded = { ...nothingLoaded, verifications: [stored], records: [recordOf(pair, { confirmations: 1 })] };
    const { verifications, records } = fold([verificationRetracted(shouting, stored.verification_id.toUpperCase(), 'rider-1')], loaded);
    expect(verifications).toEqual([{ ...stored, lifecycle: 'retracted' }]);
    expect(records).toEqual([expect.objectContaining({ part_id: pair.partId, status: 'no_data', confirmations: 0 })]);
  });
});

describe('keys of a batch', () => {
  it('names each part, pair and verification once, in the form PostgreSQL returns', () => {
    const pair = aPair();
    const first = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const second = verificationSubmitted(pair, { userId: 'rider-1', fits: false, supersedes: first.data.verificationId });
    const retracted = randomUUID();
    const shouting = { partId: pair.partId.toUpperCase(), bikeId: pair.bikeId };
    const keys = keysOf(recordedEvents([fitmentPublished(pair), first, second, verificationRetracted(shouting, retracted.toUpperCase(), 'rider-1')]).map(compatibilityFactOf));
    expect(keys).toEqual({ partIds: [pair.partId], pairs: [pair], verificationIds: [first.data.verificationId, second.data.verificationId, retracted] });
  });

  it('reads a uuid in any form PostgreSQL accepts as the one it returns', () => {
    const id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
    for (const form of ['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', 'a0eebc999c0b4ef8bb6d6bb9bd380a11', 'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11']) {
      expect(canonicalUuid(form)).toBe(id);
    }
    expect(canonicalUuid('not-a-uuid')).toBe('not-a-uuid');
  });
});

describe('reading an event', () => {
  it('refuses a malformed event rather than fold part of it', () => {
    const [event] = recordedEvents([verificationSubmitted(aPair(), { userId: 'rider-1', fits: true })]);
    expect(() => compatibilityFactOf({ ...event!, data: { ...event!.data, fits: 'yes' } })).toThrow();
  });

  it('refuses a retraction outside a fitment stream, whose pair it cannot know', () => {
    const [event] = recordedEvents([verificationRetracted(aPair(), randomUUID(), 'rider-1')]);
    expect(() => compatibilityFactOf({ ...event!, streamId: 'part-123' })).toThrow(/not a fitment stream/);
  });
});
