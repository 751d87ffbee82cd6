import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isFitmentStream, verifyChain, type ChainedEvent } from '@mpp/domain';
import { createPostgresEventStore, type PostgresEventStore, type RecordedEvent } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { EventStoreNotEmpty, generateIntoStore } from './generate-into-store.js';
import { planForEvents, totalEvents } from './scale-plan.js';
import { scaleEvents } from './scale-events.js';

/** The bulk path writes what the generator decided, in its order, readable through the adapter. */
describe('generating into the PostgreSQL event store', () => {
  const plan = planForEvents(5_000);
  const seed = 'int-spec';
  let db: TestDatabase;
  let store: PostgresEventStore;
  let live: RecordedEvent[];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
    // A subscriber reading while concurrent batches commit must still see a gap-free log.
    const subscription = new AbortController();
    live = [];
    const subscribed = (async () => {
      for await (const event of store.subscribeToAll({ signal: subscription.signal })) {
        live.push(event);
        if (live.length === totalEvents(plan)) subscription.abort();
      }
    })();
    // Small batches, three in flight: batches overlap and may commit out of order.
    await generateIntoStore({ connectionString: db.url, plan, seed, batchSize: 97, concurrency: 3 });
    await subscribed;
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('stores every generated event, in generated order, at consecutive positions', async () => {
    const expected = [...scaleEvents({ plan, seed })];
    const stored: RecordedEvent[] = [];
    for await (const event of store.readAll()) stored.push(event);
    expect(stored).toHaveLength(expected.length);
    stored.forEach((event, index) => {
      const generated = expected[index]!;
      expect({ position: event.position, streamId: event.streamId, revision: event.revision, eventId: event.eventId, type: event.type }).toEqual({
        position: BigInt(index + 1),
        streamId: generated.stream,
        revision: BigInt(generated.revision),
        eventId: generated.eventId,
        type: generated.type,
      });
    });
    expect(stored.map((e) => e.data)).toEqual(expected.map((e) => e.data));
    expect(stored.map((e) => e.metadata)).toEqual(expected.map((e) => e.metadata));
  });

  it('lets a live subscriber see every event exactly once, in order, while batches commit concurrently', () => {
    expect(live.map((e) => e.position)).toEqual(Array.from({ length: totalEvents(plan) }, (_, i) => BigInt(i + 1)));
  });

  it('keeps every fitment stream’s hash chain valid as read back from the store', async () => {
    const streams = new Map<string, RecordedEvent[]>();
    for await (const event of store.readAll()) {
      if (isFitmentStream(event.streamId)) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
    }
    expect(streams.size).toBeGreaterThanOrEqual(plan.fitmentPairs);
    for (const [stream, events] of streams) {
      expect({ stream, result: verifyChain(asChained(events)) }).toEqual({ stream, result: expect.objectContaining({ valid: true }) });
    }
    // And through readStream, the way the audit endpoint reads one pair.
    const [busiest] = [...streams.entries()].sort((a, b) => b[1].length - a[1].length);
    const readBack: RecordedEvent[] = [];
    for await (const event of store.readStream(busiest![0])) readBack.push(event);
    expect(readBack.length).toBeGreaterThan(1);
    expect(verifyChain(asChained(readBack))).toMatchObject({ valid: true, eventCount: readBack.length });
  });

  it('refuses to write into a store that already holds events', async () => {
    await expect(generateIntoStore({ connectionString: db.url, plan, seed })).rejects.toBeInstanceOf(EventStoreNotEmpty);
  });
});

/** The chain fields of the metadata, the shape `verifyChain` reads. */
function asChained(events: readonly RecordedEvent[]): ChainedEvent[] {
  return events.map((event) => ({ ...event, metadata: { prevHash: event.metadata.prevHash, hash: event.metadata.hash } }));
}
