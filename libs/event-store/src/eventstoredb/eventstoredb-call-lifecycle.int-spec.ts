/**
 * The EventStoreDB adapter's handling of the client and the wire, against a gRPC double of KurrentDB
 * (testing/kurrentdb-wire-double.ts) built from the client's own generated service definitions:
 * every read ends its call, server statuses map onto the port's errors, a subscription the server
 * ends is resumed. It proves nothing about the store's semantics; the contract suite against a real
 * server (eventstoredb-event-store.int-spec.ts with EVENTSTORE_URL) is the only proof of those.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { EventStoreDBClient, START } from '@eventstore/db-client';
import { EventStoreUnavailable, StreamDeleted, StreamNotFound } from '../errors.js';
import { collect, event, subscribe } from '../event-store.contract.js';
import { createEventStoreDbEventStore, type EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { KurrentDbWireDouble } from './testing/kurrentdb-wire-double.js';

// Bounds waiting for the double to see a cancellation arrive; not a performance expectation.
const patienceMs = 10_000;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + patienceMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function tick(i: number, streamId = `thing-${i % 50}`) {
  return { streamId, eventId: randomUUID(), type: 'Ticked', data: { i, padding: 'x'.repeat(50) } };
}

describe('EventStoreDB adapter over the KurrentDB wire double (our side of the wire only)', () => {
  describe('every read ends its call', () => {
    // Far more than one HTTP/2 flow-control window, so a read the client stops consuming stays open on the server.
    const logSize = 20_000;
    let double: KurrentDbWireDouble;
    let store: EventStoreDbEventStore;
    let newestApplicationEvent: bigint;

    beforeAll(async () => {
      double = await KurrentDbWireDouble.start();
      double.append(...Array.from({ length: logSize }, (_, i) => tick(i)));
      newestApplicationEvent = double.log.at(-1)!.position;
      // The newest records are the server's own, which the head skips.
      double.append({ streamId: '$stats-127.0.0.1:2113', eventId: randomUUID(), type: '$statsCollected', data: {} });
      store = createEventStoreDbEventStore({ connectionString: double.connectionString });
    });
    afterAll(async () => {
      await store.close();
      await double.stop();
    });

    it('the double sees a leaked read: a client read left unconsumed stays open until cancelled', async () => {
      const client = EventStoreDBClient.connectionString(double.connectionString);
      try {
        const read = client.readAll({ fromPosition: START });
        for await (const _resolved of read) break;
        await until(() => double.openReadCalls === 1, 'the read to show on the double');
        // Nothing ends it but a cancel: this is the leak the adapter must not have.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(double.openReadCalls).toBe(1);
        await read.cancel();
        await until(() => double.openReadCalls === 0, 'the cancel to reach the double');
      } finally {
        await client.dispose();
      }
    });

    it('leaves no call open after 500 headPosition() and 500 early-ending readAll() calls', async () => {
      double.peakOpenReadCalls = 0;
      const readsBefore = double.readCalls.length;
      for (let i = 0; i < 500; i++) {
        expect(await store.headPosition()).toBe(newestApplicationEvent);
      }
      for (let i = 0; i < 500; i++) {
        if (i % 3 === 0) {
          // Stops at maxCount.
          expect(await collect(store.readAll({ maxCount: 5 }))).toHaveLength(5);
        } else if (i % 3 === 1) {
          for await (const _event of store.readAll({ fromPosition: double.log[i]!.position })) break;
        } else {
          // The consumer fails half-way through.
          const failure = await (async () => {
            for await (const _event of store.readAll()) throw new Error('consumer failed');
          })().catch((error: Error) => error);
          expect(failure).toMatchObject({ message: 'consumer failed' });
        }
      }
      expect(double.readCalls.length - readsBefore).toBe(1_000);
      await until(() => double.openReadCalls === 0, 'every read call to end');
      expect(double.openReadCalls).toBe(0);
      // Never at the 100 streams a connection allows, after which call 101 would wait for ever.
      expect(double.peakOpenReadCalls).toBeLessThan(100);
      // A bound for a loaded 2-core machine, not a speed expectation (~25 s alone there).
    }, 300_000);

    it('ends the call of stream reads that stop early, and of the idempotency look-up of an append', async () => {
      const stream = 'thing-7';
      for (let i = 0; i < 50; i++) {
        for await (const _event of store.readStream(stream)) break;
        expect(await collect(store.readStream(stream, { direction: 'backwards', maxCount: 2 }))).toHaveLength(2);
      }
      await store.appendToStream(stream, [event()], { expectedRevision: 'any' });
      await until(() => double.openReadCalls === 0, 'every read call to end');
      expect(double.openReadCalls).toBe(0);
    });
  });

  describe('server answers', () => {
    let double: KurrentDbWireDouble;
    let store: EventStoreDbEventStore;

    beforeAll(async () => {
      double = await KurrentDbWireDouble.start();
      store = createEventStoreDbEventStore({ connectionString: double.connectionString });
    });
    afterEach(() => {
      double.batchAppendAnswer = 'store';
    });
    afterAll(async () => {
      await store.close();
      await double.stop();
    });

    it.each(['not-ready', 'busy', 'cancelled'] as const)('maps an append answered %s to the retryable EventStoreUnavailable', async (answer) => {
      double.batchAppendAnswer = answer;
      const requests = double.appendRequests;
      const error = await store.appendToStream(`price-${randomUUID()}`, [event()], { expectedRevision: 'any' }).catch((failure: unknown) => failure);
      expect(double.appendRequests).toBe(requests + 1);
      expect(error).toBeInstanceOf(EventStoreUnavailable);
      expect(error).toMatchObject({ retryable: true });
      // The next attempt, once the node is ready, goes through on the same client.
      double.batchAppendAnswer = 'store';
      await expect(store.appendToStream(`price-${randomUUID()}`, [event()], { expectedRevision: 'any' })).resolves.toMatchObject({ nextRevision: 0n });
    });

    it('answers a replay at the current revision from the stream, without sending the append', async () => {
      const stream = `price-${randomUUID()}`;
      const [first, second] = [event(), event()];
      const original = await store.appendToStream(stream, [first], { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, [second], { expectedRevision: 0n });
      const requests = double.appendRequests;
      // Expected revision 1 is the current one: the server would append it again without a look.
      expect(await store.appendToStream(stream, [first], { expectedRevision: 1n })).toEqual(original);
      expect(double.appendRequests).toBe(requests);
      expect(double.log.filter((e) => e.streamId === stream)).toHaveLength(2);
    });

    it('cancels a head read or an append look-up the server does not answer, and reports it as unavailable', async () => {
      const impatient = createEventStoreDbEventStore({ connectionString: double.connectionString, readDeadlineMs: 300 });
      double.stallReads = true;
      try {
        await expect(impatient.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailable);
        await expect(impatient.appendToStream(`price-${randomUUID()}`, [event()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventStoreUnavailable);
        await until(() => double.openReadCalls === 0, 'the stalled reads to be cancelled');
      } finally {
        double.stallReads = false;
        await impatient.close();
      }
    });

    it('maps a deleted stream to StreamDeleted and a missing one to StreamNotFound', async () => {
      const deleted = `build-${randomUUID()}`;
      double.deletedStreams.add(deleted);
      const read = await collect(store.readStream(deleted)).catch((failure: unknown) => failure);
      expect(read).toBeInstanceOf(StreamDeleted);
      expect(read).toMatchObject({ stream: deleted, code: 'STREAM_DELETED' });
      const append = await store.appendToStream(deleted, [event()], { expectedRevision: 'any' }).catch((failure: unknown) => failure);
      expect(append).toBeInstanceOf(StreamDeleted);
      await expect(collect(store.readStream(`build-${randomUUID()}`))).rejects.toBeInstanceOf(StreamNotFound);
    });
  });

  describe('subscriptions and what the port shows of $all', () => {
    let double: KurrentDbWireDouble;
    let store: EventStoreDbEventStore;

    beforeAll(async () => {
      double = await KurrentDbWireDouble.start();
      store = createEventStoreDbEventStore({ connectionString: double.connectionString });
    });
    afterAll(async () => {
      await store.close();
      await double.stop();
    });

    it('resumes a subscription the server ends with CANCELLED from the last delivered event, without an error', async () => {
      const start = double.log.at(-1)?.position ?? 0n;
      const before = double.append(...Array.from({ length: 20 }, (_, i) => tick(i, 'resume-a')));
      const retries: Error[] = [];
      const subscriber = subscribe(store, start, (e) => e.streamId.startsWith('resume-'), (error) => retries.push(error));
      await subscriber.until(20);
      const subscriptionsBefore = double.readCalls.filter((call) => call.target === 'subscription').length;

      // A node restarting (KurrentDB 24.4+) ends open calls with CANCELLED.
      double.endSubscriptions(grpc.status.CANCELLED, 'Call canceled by the server');
      const after = double.append(...Array.from({ length: 20 }, (_, i) => tick(i, 'resume-b')));
      await subscriber.until(40);
      await subscriber.stop();

      expect(subscriber.received.map((e) => e.eventId)).toEqual([...before, ...after].map((e) => e.eventId));
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.every((error) => error instanceof EventStoreUnavailable)).toBe(true);
      const resumed = double.readCalls.filter((call) => call.target === 'subscription').slice(subscriptionsBefore);
      expect(resumed[0]?.from).toBe(before.at(-1)!.position);
    });

    it('hides the server’s events from readAll, subscribeToAll and headPosition by one rule', async () => {
      const start = double.log.at(-1)?.position ?? 0n;
      const shown = double.append(tick(1, 'visible-a'), tick(2, 'visible-b'));
      double.append(
        { streamId: '$settings', eventId: randomUUID(), type: 'update', data: {} },
        { streamId: 'visible-a', eventId: randomUUID(), type: '$metadata', data: {} },
        { streamId: 'visible-a', eventId: randomUUID(), type: 'Binary', data: Buffer.from([1, 2, 3]), contentType: 'application/octet-stream' },
      );
      const fromReadAll = await collect(store.readAll({ fromPosition: start }));
      const subscriber = subscribe(store, start, () => true);
      await subscriber.until(2);
      await subscriber.stop();
      expect(fromReadAll.map((e) => e.eventId)).toEqual(shown.map((e) => e.eventId));
      expect(subscriber.received.map((e) => e.eventId)).toEqual(shown.map((e) => e.eventId));
      expect(await store.headPosition()).toBe(shown.at(-1)!.position);
    });

    it('reads $all from an event’s own position, inclusively when asked, so an export starts on a record', async () => {
      const events = double.append(tick(1, 'export-a'), tick(2, 'export-a'), tick(3, 'export-a'));
      const inclusive = await collect(store.readAll({ fromPosition: events[1]!.position, includeFromPosition: true }));
      expect(inclusive.map((e) => e.eventId)).toEqual([events[1]!.eventId, events[2]!.eventId]);
      expect(double.readCalls.at(-1)).toMatchObject({ target: 'all', from: events[1]!.position });
      const exclusive = await collect(store.readAll({ fromPosition: events[1]!.position }));
      expect(exclusive.map((e) => e.eventId)).toEqual([events[2]!.eventId]);
    });
  });
});
