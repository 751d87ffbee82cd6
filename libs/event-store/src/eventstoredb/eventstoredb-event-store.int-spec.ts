import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { StreamDeleted } from '../errors.js';
import { collect, event, eventStoreContract, stream, subscribe } from '../event-store.contract.js';
import { createEventStoreDbEventStore, type EventStoreDbEventStore } from './eventstoredb-event-store.js';

// No EventStoreDB/KurrentDB server can run here; `docker compose up -d kurrentdb` and
// EVENTSTORE_URL=esdb://localhost:2113?tls=false run the same contract as PostgreSQL (docs/event-store.md).
// What the adapter does with the client and the wire is tested without a server, against the wire
// double (eventstoredb-call-lifecycle.int-spec.ts).
const url = process.env.EVENTSTORE_URL;

if (url) {
  describe('EventStoreDB event store', () => {
    eventStoreContract({ createStore: (options) => createEventStoreDbEventStore({ connectionString: url, ...options }) });

    describe('what only this store can do', () => {
      let client: EventStoreDBClient;
      let store: EventStoreDbEventStore;
      beforeAll(() => {
        client = EventStoreDBClient.connectionString(url);
        store = createEventStoreDbEventStore({ client });
      });
      afterAll(async () => {
        await store.close();
        await client.dispose();
      });

      it('reports a tombstoned stream as StreamDeleted on read and on append', async () => {
        const name = stream('tombstoned');
        await store.appendToStream(name, [event()], { expectedRevision: 'no_stream' });
        await client.tombstoneStream(name);
        await expect(collect(store.readStream(name))).rejects.toBeInstanceOf(StreamDeleted);
        await expect(store.appendToStream(name, [event()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(StreamDeleted);
      });

      it('hides an event whose type starts with $ from readAll and subscribeToAll alike', async () => {
        const name = stream('system-type');
        const start = await store.headPosition();
        const shown = event('Shown');
        await client.appendToStream(name, [jsonEvent({ type: '$hidden', data: {} })]);
        await store.appendToStream(name, [shown], { expectedRevision: 0n });
        const fromReadAll = (await collect(store.readAll({ fromPosition: start }))).filter((e) => e.streamId === name);
        const subscriber = subscribe(store, start, (e) => e.streamId === name);
        await subscriber.until(1);
        await subscriber.stop();
        expect(fromReadAll.map((e) => e.eventId)).toEqual([shown.eventId]);
        expect(subscriber.received.map((e) => e.eventId)).toEqual([shown.eventId]);
      });
    });
  });
} else {
  console.log('EventStoreDB contract skipped: EVENTSTORE_URL is not set (docs/event-store.md says how to run it against a server)');
  describe.skip('EventStoreDB contract (skipped: EVENTSTORE_URL not set)', () => {
    eventStoreContract({
      createStore: () => {
        throw new Error('EVENTSTORE_URL is not set');
      },
    });
  });
}
