import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@mpp/event-store';
import { readBatch, touch } from './search-documents-batch.js';
import {
  bikeRegistered,
  fitmentPublished,
  partCataloged,
  partDetailsRevised,
  priceObserved,
  verificationModerated,
  verificationRetracted,
  verificationSubmitted,
  type GivenEvent,
} from '../testing/given-events.js';

const RETAILER = 'c2f1e7a4-0b6d-4e59-8f3a-7d2c9b1e5a64';

/** The events as the runner hands them over, at positions 1, 2, 3... */
const recorded = (...events: GivenEvent[]): RecordedEvent[] =>
  events.map((event, i) => ({
    streamId: event.stream,
    revision: 0n,
    position: BigInt(i + 1),
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1, occurredAt: '2025-03-01T12:00:00.000Z' },
    createdAt: new Date('2025-03-01T12:00:00Z'),
  }));

describe('reading a batch for search', () => {
  const bike = bikeRegistered({ year: 2021, make: 'Yamaha', model: 'MT-07' });
  const part = partCataloged({ brand: 'Puig', name: 'Touring Screen' });
  const pair = { partId: part.data.partId, bikeId: bike.data.bikeId };

  it('sorts the events by what they change and notes the last event that rewrites each document', () => {
    const first = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const batch = readBatch(
      recorded(
        bike,
        part,
        fitmentPublished(pair),
        first,
        verificationModerated(pair, first.data.verificationId, 'hidden'),
        priceObserved(part.data.partId, RETAILER, { priceCents: 100_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      ),
    );
    expect(batch.bikes).toEqual(new Map([[bike.data.bikeId, { label: '2021 Yamaha MT-07', position: 1n }]]));
    expect(batch.catalog).toEqual([{ kind: 'cataloged', partId: part.data.partId, sku: part.data.sku, brand: 'Puig', name: 'Touring Screen', category: 'exhaust', description: null }]);
    expect(batch.evidence).toEqual([
      { kind: 'official', ...pair, official: 'published' },
      { kind: 'submitted', ...pair, verificationId: first.data.verificationId, fits: true },
      { kind: 'moderated', ...pair, verificationId: first.data.verificationId, hidden: true },
    ]);
    expect(batch.prices).toEqual([
      { partId: part.data.partId, retailerId: RETAILER, priceCents: 100_00, currency: 'EUR', inStock: true, observedAt: new Date('2025-03-01T10:00:00.000Z'), position: 6n },
    ]);
    // A price rewrites the document only if it becomes the current one, which the table decides.
    expect(batch.touches).toEqual(new Map([[part.data.partId, 5n]]));
  });

  it('keeps the first label of a bike registered twice, and the position of the last registration', () => {
    const again = { ...bike, data: { ...bike.data, model: 'MT-07 Pure' } };
    expect(readBatch(recorded(bike, again)).bikes).toEqual(new Map([[bike.data.bikeId, { label: '2021 Yamaha MT-07', position: 2n }]]));
  });

  it('drops a revision that changes none of the document fields', () => {
    const batch = readBatch(recorded(partDetailsRevised(part.data.partId, { attributes: { material: 'polycarbonate' } })));
    expect(batch.catalog).toEqual([]);
    expect(batch.touches).toEqual(new Map());
  });

  it('takes the pair of a retraction from its stream, and ids in lower case', () => {
    const upper = { partId: pair.partId.toUpperCase(), bikeId: pair.bikeId.toUpperCase() };
    const batch = readBatch(recorded(verificationRetracted(upper, 'ABCDEF00-0000-4000-8000-000000000000', 'rider-1')));
    expect(batch.evidence).toEqual([{ kind: 'retracted', ...pair, verificationId: 'abcdef00-0000-4000-8000-000000000000' }]);
  });

  it('fails on a malformed event and on a verification event outside a fitment stream', () => {
    expect(() => readBatch(recorded({ ...part, data: { ...part.data, sku: '' } }))).toThrow();
    const retraction = verificationRetracted(pair, 'abcdef00-0000-4000-8000-000000000000', 'rider-1');
    expect(() => readBatch(recorded({ ...retraction, stream: `part-${pair.partId}` }))).toThrow(/not a fitment stream/);
  });
});

describe('touching a document', () => {
  it('keeps the latest position', () => {
    const touches = new Map<string, bigint>();
    touch(touches, 'part', 7n);
    touch(touches, 'part', 3n);
    expect(touches.get('part')).toBe(7n);
  });
});
