import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPostgresEventStore, type EventStore, type RecordedEvent } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { SharedLogReader, type LogItem } from './shared-log-reader.js';

const EVENTS = 2_000;

/** Takes batches from a consumer until `enough` says stop; what it got, in order. */
async function take(items: AsyncGenerator<LogItem>, enough: (received: RecordedEvent[]) => boolean): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  while (!enough(received)) {
    const next = await items.next();
    if (next.done) break;
    if (next.value !== 'idle') received.push(...next.value);
  }
  return received;
}

/** The batches a consumer hands until it has handed `events` events, each batch as handed. */
async function batchesOf(items: AsyncGenerator<LogItem>, events: number): Promise<RecordedEvent[][]> {
  const batches: RecordedEvent[][] = [];
  while (batches.flat().length < events) {
    const next = await items.next();
    if (next.done) break;
    if (next.value !== 'idle') batches.push(next.value);
  }
  return batches;
}

describe('shared log reader', () => {
  let db: TestDatabase;
  let store: EventStore;
  let head: bigint;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
    for (let i = 0; i < EVENTS; i += 100) {
      const events = Array.from({ length: 100 }, (_, n) => ({
        eventId: randomUUID(),
        type: 'Numbered',
        data: { n: i + n },
        metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() },
      }));
      head = (await store.appendToStream(`numbers-${i % 700}`, events, { expectedRevision: 'any' })).position;
    }
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const all = (received: RecordedEvent[]) => received.length > 0 && received[received.length - 1]!.position >= head;

  it('hands every event once, in order, to each consumer of one reading', async () => {
    const reader = new SharedLogReader({ store, batchSize: 250 });
    const controller = new AbortController();
    const consumers = [0n, 0n, 700n].map((from) => reader.consume(from, controller.signal));
    expect(reader.readingCount).toBe(1);
    const [first, second, third] = await Promise.all(consumers.map((items) => take(items, all)));
    controller.abort();
    const positions = (events: RecordedEvent[]) => events.map((e) => e.position);
    expect(first).toHaveLength(EVENTS);
    expect(positions(second)).toEqual(positions(first));
    expect(positions(third)).toEqual(positions(first).filter((position) => position > 700n));
    // Decoded once: the consumers hold the very same objects.
    expect(second[0]).toBe(first[0]);
    for (const items of consumers) await items.return(undefined);
    expect(reader.readingCount).toBe(0);
  });

  it('lets the others run on when one consumer falls a whole buffer behind and stops taking batches; it goes on in a reading of its own', async () => {
    const reader = new SharedLogReader({ store, batchSize: 100, maxBufferedEvents: 300, stallMs: 100 });
    const controller = new AbortController();
    const slow = reader.consume(0n, controller.signal);
    const fast = reader.consume(0n, controller.signal);
    const slowFirst = await take(slow, (received) => received.length > 0);
    // The slow one asks for nothing more until the fast one has everything: held back by the slow
    // one beyond the buffer and past its stall bound, the fast one would wait here for ever.
    const fastAll = await take(fast, all);
    expect(reader.readingCount).toBe(1);
    const slowRest = await take(slow, all);
    expect(reader.readingCount).toBe(2);
    controller.abort();
    const positions = (events: RecordedEvent[]) => events.map((e) => e.position);
    expect(fastAll).toHaveLength(EVENTS);
    expect(positions([...slowFirst, ...slowRest])).toEqual(positions(fastAll));
  });

  it('waits for a slow consumer that keeps taking batches, so the log is read once', async () => {
    const reader = new SharedLogReader({ store, batchSize: 100, maxBufferedEvents: 300 });
    const controller = new AbortController();
    const slow = reader.consume(0n, controller.signal);
    const fast = reader.consume(0n, controller.signal);
    // A page at a time, each after a pause, while the fast one takes everything as soon as it is read.
    const slowReceived: RecordedEvent[] = [];
    const slowAll = (async () => {
      while (!all(slowReceived)) {
        const next = await slow.next();
        if (next.done) break;
        if (next.value !== 'idle') slowReceived.push(...next.value);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const [fastAll] = await Promise.all([take(fast, all), slowAll]);
    controller.abort();
    expect(reader.eventsRead).toBe(EVENTS);
    expect(fastAll.map((e) => e.position)).toEqual(slowReceived.map((e) => e.position));
    await Promise.all([slow.return(undefined), fast.return(undefined)]);
  });

  it('keeps every page while held, so a consumer that starts late still joins the reading', async () => {
    const reader = new SharedLogReader({ store, batchSize: 100, maxBufferedEvents: 300 });
    const controller = new AbortController();
    const release = reader.hold();
    const early = reader.consume(0n, controller.signal);
    const earlyFirst = await take(early, (received) => received.length >= 300);
    // Time to read on: unheld, the reading would drop the pages the early consumer has passed.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const late = reader.consume(0n, controller.signal);
    expect(reader.readingCount).toBe(1);
    release();
    const [earlyRest, lateAll] = await Promise.all([take(early, all), take(late, all)]);
    controller.abort();
    expect(reader.eventsRead).toBe(EVENTS);
    expect([...earlyFirst, ...earlyRest].map((e) => e.position)).toEqual(lateAll.map((e) => e.position));
    await Promise.all([early.return(undefined), late.return(undefined)]);
  });

  it('hands a consumer with a larger limit several held pages as one batch, never waiting for more', async () => {
    const reader = new SharedLogReader({ store, batchSize: 100 });
    const controller = new AbortController();
    const paged = reader.consume(0n, controller.signal);
    const merged = reader.consume(0n, controller.signal, () => 350);
    // The default buffer (50 pages) holds the whole log: once the paged consumer has it all, the
    // merged one finds everything read.
    const pagedAll = await take(paged, all);
    const batches = await batchesOf(merged, EVENTS);
    controller.abort();
    expect(batches.map((batch) => batch.length)).toEqual([...Array(5).fill(350), EVENTS - 5 * 350]);
    expect(batches.flat().map((e) => e.position)).toEqual(pagedAll.map((e) => e.position));
    await Promise.all([paged.return(undefined), merged.return(undefined)]);
  });

  it('makes a consumer that fills its batches up to a position wait for its limit while the reading reads on', async () => {
    const reader = new SharedLogReader({ store, batchSize: 100 });
    const controller = new AbortController();
    // Alone from the start: without filling, its first batch would be the first page read.
    const filling = reader.consume(0n, controller.signal, () => 350, () => head);
    const batches = await batchesOf(filling, EVENTS);
    controller.abort();
    expect(batches.map((batch) => batch.length)).toEqual([...Array(5).fill(350), EVENTS - 5 * 350]);
    expect(batches.flat().map((e) => e.position)).toEqual(Array.from({ length: EVENTS }, (_, i) => BigInt(i + 1)));
    await filling.return(undefined);
  });

  it('gives a consumer far behind every reading a reading of its own; once caught up it moves to the older reading', async () => {
    const reader = new SharedLogReader({ store, batchSize: 100, maxBufferedEvents: 300 });
    const controller = new AbortController();
    const live = reader.consume(head, controller.signal);
    expect(await live.next()).toEqual({ done: false, value: 'idle' });
    const rebuild = reader.consume(0n, controller.signal);
    expect(reader.readingCount).toBe(2);
    const caughtUp = await take(rebuild, all);
    expect(caughtUp.map((e) => e.position)).toEqual(Array.from({ length: EVENTS }, (_, i) => BigInt(i + 1)));
    // Caught up: at its next idle the rebuild's consumer leaves its reading for the live one.
    const next = rebuild.next();
    await expect(next).resolves.toEqual({ done: false, value: 'idle' });
    expect(reader.readingCount).toBe(1);
    // Both get what is appended next, each once, from the one reading.
    const appended = await store.appendToStream(`numbers-after-${randomUUID()}`, [
      { eventId: randomUUID(), type: 'Numbered', data: { n: -1 }, metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() } },
    ], { expectedRevision: 'no_stream' });
    const upTo = (received: RecordedEvent[]) => received.some((e) => e.position >= appended.position);
    const [toLive, toRebuild] = await Promise.all([take(live, upTo), take(rebuild, upTo)]);
    expect(toLive.map((e) => e.position)).toEqual([appended.position]);
    expect(toRebuild.map((e) => e.position)).toEqual([appended.position]);
    expect(toRebuild[0]).toBe(toLive[0]);
    expect(reader.readingCount).toBe(1);
    controller.abort();
    await Promise.all([live.return(undefined), rebuild.return(undefined)]);
    expect(reader.readingCount).toBe(0);
  });
});
