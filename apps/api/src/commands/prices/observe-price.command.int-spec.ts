import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { partStream, priceStream, retailerStream } from '@mpp/domain';
import { createEventStoreDbEventStore, createPostgresEventStore, type EventStore, type RecordedEvent } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { systemContext } from '../shell/command-context.js';
import { StreamCommands } from '../shell/stream-commands.js';
import { UserKeysRepository } from '../erasure/user-keys.repository.js';
import { ObservePriceCommand, ObservePriceHandler, type PriceObservation } from './observe-price.command.js';

/**
 * A price back-fill run twice keeps one event per hour on each adapter, because the decider drops an
 * hour the stream already has: the second run reports `recorded: false` for every hour, which it does
 * only when the decider emitted nothing (a replay the store dropped would report `recorded: true`).
 */
const eventStoreUrl = process.env.EVENTSTORE_URL;
const adapters: Array<{ name: string; open: (db: TestDatabase) => EventStore }> = [
  { name: 'PostgreSQL', open: (db) => createPostgresEventStore({ connectionString: db.url, applicationName: 'mpp-price-backfill-test' }) },
];
if (eventStoreUrl) {
  adapters.push({ name: 'EventStoreDB', open: () => createEventStoreDbEventStore({ connectionString: eventStoreUrl }) });
} else {
  console.log('price back-fill on EventStoreDB skipped: EVENTSTORE_URL is not set (the decider unit test covers the decision)');
}

describe.each(adapters)('price back-fill on the $name event store', ({ open }) => {
  let db: TestDatabase;
  let store: EventStore;
  let handler: ObservePriceHandler;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = open(db);
    handler = new ObservePriceHandler(new StreamCommands(store, new UserKeysRepository(db.knex)));
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  async function readStream(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(stream)) events.push(event);
    return events;
  }

  it('keeps one event per hour when the same day is back-filled twice, and the second run records nothing', async () => {
    const [partId, retailerId] = [randomUUID(), randomUUID()];
    // The handler only checks that the part and the retailer exist.
    const metadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: '2025-06-01T00:00:00Z' };
    for (const stream of [partStream(partId), retailerStream(retailerId)]) {
      await store.appendToStream(stream, [{ eventId: randomUUID(), type: 'Seeded', data: {}, metadata }], { expectedRevision: 'no_stream' });
    }
    const hours = Array.from({ length: 24 }, (_, h) => `2025-06-01T${String(h).padStart(2, '0')}:20:00Z`);
    const backFill = async (order: string[], priceCents: number) => {
      const results = [];
      for (const observedAt of order) {
        const observation: PriceObservation = { partId, retailerId, priceCents, currency: 'USD', inStock: true, url: 'https://shop.example/p', observedAt, source: 'feed:backfill' };
        results.push(await handler.execute(new ObservePriceCommand(observation, systemContext('price-backfill', new Date('2025-06-02T00:00:00Z')))));
      }
      return results;
    };

    const first = await backFill(hours, 12_900);
    const second = await backFill([...hours].reverse(), 11_900);

    expect(first.every((result) => result.recorded)).toBe(true);
    expect(second.map((result) => result.recorded)).toEqual(hours.map(() => false));
    const stream = await readStream(priceStream(partId, retailerId));
    expect(stream).toHaveLength(24);
    expect(stream.map((event) => event.data.observedAt)).toEqual(hours.map((hour) => new Date(hour).toISOString()));
    expect(stream.every((event) => event.data.priceCents === 12_900)).toBe(true);
  });
});
