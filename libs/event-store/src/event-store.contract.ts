import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { AppendResult, EventMetadata, EventStore, EventToAppend, RecordedEvent } from './event-store.port.js';
import { DuplicateEventIds, StreamNotFound, WrongExpectedRevision } from './errors.js';
import { UpcasterRegistry } from './upcasters.js';

/**
 * The one contract both adapters pass (DESIGN §3). Each adapter's int-spec calls `eventStoreContract`
 * inside its own describe with a factory for stores. Tests share a store, so every test writes to
 * streams of its own and reads the global log from a position taken before it wrote.
 */
export interface EventStoreContractSetup {
  createStore(options?: { upcasters?: UpcasterRegistry }): EventStore | Promise<EventStore>;
}

// Upper bound on waiting for something asynchronous (a subscriber, the gap-free head) before a test
// fails with a message saying what never came; not a performance expectation.
const patienceMs = 20_000;

export function eventStoreContract(setup: EventStoreContractSetup): void {
  describe('event store contract', () => {
    const stores: EventStore[] = [];
    let shared: EventStore | undefined;
    const store = async (options?: { upcasters?: UpcasterRegistry }): Promise<EventStore> => {
      if (!options && shared) return shared;
      const created = await setup.createStore(options);
      stores.push(created);
      if (!options) shared = created;
      return created;
    };
    afterAll(async () => {
      await Promise.all(stores.map((created) => created.close()));
    });

    describe('optimistic concurrency', () => {
      it('creates a stream with no_stream and reports revision 0 and a positive global position', async () => {
        const s = await store();
        const result = await s.appendToStream(stream('create'), [event()], { expectedRevision: 'no_stream' });
        expect(result.nextRevision).toBe(0n);
        expect(result.position).toBeGreaterThan(0n);
      });

      it('numbers revisions from 0 in append order and reports the last one', async () => {
        const s = await store();
        const name = stream('revisions');
        const first = await s.appendToStream(name, [event(), event()], { expectedRevision: 'no_stream' });
        const second = await s.appendToStream(name, [event(), event(), event()], { expectedRevision: 1n });
        expect(first.nextRevision).toBe(1n);
        expect(second.nextRevision).toBe(4n);
        expect(second.position).toBeGreaterThan(first.position);
        const read = await collect(s.readStream(name));
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      });

      it('rejects an append with a stale expected revision and reports the actual one', async () => {
        const s = await store();
        const name = stream('stale');
        await s.appendToStream(name, [event(), event(), event()], { expectedRevision: 'no_stream' });
        const error = await rejection(s.appendToStream(name, [event()], { expectedRevision: 0n }));
        expect(error).toBeInstanceOf(WrongExpectedRevision);
        expect(error).toMatchObject({ stream: name, expected: 0n, actual: 2n });
        expect(await collect(s.readStream(name))).toHaveLength(3);
      });

      it('rejects no_stream when the stream already has events', async () => {
        const s = await store();
        const name = stream('exists-already');
        await s.appendToStream(name, [event()], { expectedRevision: 'no_stream' });
        const error = await rejection(s.appendToStream(name, [event()], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(WrongExpectedRevision);
        expect(error).toMatchObject({ expected: 'no_stream', actual: 0n });
      });

      it('rejects exists and a numeric revision on a stream without events, reporting no_stream', async () => {
        const s = await store();
        const name = stream('missing');
        const exists = await rejection(s.appendToStream(name, [event()], { expectedRevision: 'exists' }));
        expect(exists).toBeInstanceOf(WrongExpectedRevision);
        expect(exists).toMatchObject({ expected: 'exists', actual: 'no_stream' });
        const numeric = await rejection(s.appendToStream(name, [event()], { expectedRevision: 0n }));
        expect(numeric).toMatchObject({ expected: 0n, actual: 'no_stream' });
      });

      it('accepts exists on a stream with events and any whatever the revision', async () => {
        const s = await store();
        const name = stream('any');
        expect((await s.appendToStream(name, [event()], { expectedRevision: 'any' })).nextRevision).toBe(0n);
        expect((await s.appendToStream(name, [event()], { expectedRevision: 'any' })).nextRevision).toBe(1n);
        expect((await s.appendToStream(name, [event()], { expectedRevision: 'exists' })).nextRevision).toBe(2n);
      });

      it('lets exactly one of several concurrent appends with the same expected revision win', async () => {
        const s = await store();
        const name = stream('race');
        await s.appendToStream(name, [event()], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => s.appendToStream(name, [event(), event()], { expectedRevision: 0n })),
        );
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(7);
        for (const error of lost) {
          expect(error).toBeInstanceOf(WrongExpectedRevision);
          expect(error).toMatchObject({ actual: 2n });
        }
        expect((await collect(s.readStream(name))).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('lets exactly one of several concurrent creations of the same stream win', async () => {
        const s = await store();
        const name = stream('create-race');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => s.appendToStream(name, [event()], { expectedRevision: 'no_stream' })),
        );
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect(await collect(s.readStream(name))).toHaveLength(1);
      });

      it('refuses an empty append and an event id that is not a UUID', async () => {
        const s = await store();
        await expect(s.appendToStream(stream('invalid'), [], { expectedRevision: 'any' })).rejects.toBeInstanceOf(RangeError);
        await expect(
          s.appendToStream(stream('invalid'), [{ ...event(), eventId: 'not-a-uuid' }], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(RangeError);
      });
    });

    describe('idempotent append', () => {
      it('returns the original result when the same events are appended again, and writes nothing', async () => {
        const s = await store();
        const name = stream('replay');
        const events = [event(), event()];
        const original = await s.appendToStream(name, events, { expectedRevision: 'no_stream' });
        const replayed = await s.appendToStream(name, events, { expectedRevision: 'no_stream' });
        expect(replayed).toEqual(original);
        expect((await collect(s.readStream(name))).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      });

      it('returns the original result for a replay after the stream has moved on', async () => {
        const s = await store();
        const name = stream('replay-later');
        const first = [event()];
        const original = await s.appendToStream(name, first, { expectedRevision: 'no_stream' });
        await s.appendToStream(name, [event()], { expectedRevision: 0n });
        const replayed = await s.appendToStream(name, first, { expectedRevision: 'no_stream' });
        expect(replayed).toEqual(original);
        expect(await collect(s.readStream(name))).toHaveLength(2);
      });

      it('treats a replay with expected revision any as a no-op too', async () => {
        const s = await store();
        const name = stream('replay-any');
        const events = [event(), event(), event()];
        const original = await s.appendToStream(name, events, { expectedRevision: 'any' });
        const replayed = await s.appendToStream(name, events, { expectedRevision: 'any' });
        expect(replayed).toEqual(original);
        expect(await collect(s.readStream(name))).toHaveLength(3);
      });

      it('returns the original result for a replay at the current revision, and writes nothing', async () => {
        const s = await store();
        const name = stream('replay-current');
        const events = [event(), event()];
        const original = await s.appendToStream(name, events, { expectedRevision: 'no_stream' });
        // Expected revision 1 is where the stream is now: KurrentDB itself would append the ids again here.
        const replayed = await s.appendToStream(name, events, { expectedRevision: 1n });
        expect(replayed).toEqual(original);
        expect((await collect(s.readStream(name))).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      });

      it('returns the original result when an earlier event comes again at the current revision (a re-run back-fill)', async () => {
        const s = await store();
        const name = stream('replay-earlier');
        const hours = [event('PriceObserved'), event('PriceObserved'), event('PriceObserved')];
        const results: AppendResult[] = [];
        for (const [i, hour] of hours.entries()) {
          results.push(await s.appendToStream(name, [hour], { expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1) }));
        }
        for (const [i, hour] of hours.entries()) {
          expect(await s.appendToStream(name, [hour], { expectedRevision: 2n })).toEqual(results[i]);
          expect(await s.appendToStream(name, [hour], { expectedRevision: 'any' })).toEqual(results[i]);
        }
        expect((await collect(s.readStream(name))).map((e) => e.eventId)).toEqual(hours.map((e) => e.eventId));
      });

      it('rejects a partial replay with expected revision any as DuplicateEventIds, and writes nothing', async () => {
        const s = await store();
        const name = stream('partial-any');
        const [a, b, c] = [event(), event(), event()];
        await s.appendToStream(name, [a, b], { expectedRevision: 'any' });
        const error = await rejection(s.appendToStream(name, [a, c], { expectedRevision: 'any' }));
        expect(error).toBeInstanceOf(DuplicateEventIds);
        expect(error).toMatchObject({ stream: name, eventIds: [a.eventId] });
        expect((await collect(s.readStream(name))).map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);
      });

      it('rejects an append whose event ids are only partly stored already, and writes nothing', async () => {
        const s = await store();
        const name = stream('partial');
        const [a, b, c] = [event(), event(), event()];
        await s.appendToStream(name, [a, b], { expectedRevision: 'no_stream' });
        const error = await rejection(s.appendToStream(name, [a, c], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(DuplicateEventIds);
        expect(error).toMatchObject({ stream: name, eventIds: [a.eventId] });
        expect((await collect(s.readStream(name))).map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);
      });
    });

    describe('reading a stream', () => {
      it('returns what was appended: ids, types, data, metadata and a createdAt from the store clock', async () => {
        const s = await store();
        const name = stream('shape');
        const before = Date.now();
        const appended = event('PartCataloged', { partId: 'p-1', attributes: { weightKg: 2.5, tags: ['a', 'b'] } });
        appended.metadata = { ...appended.metadata, prevHash: 'abc', hash: 'def' };
        const result = await s.appendToStream(name, [appended], { expectedRevision: 'no_stream' });
        const [read] = await collect(s.readStream(name));
        expect(read).toMatchObject({
          streamId: name,
          revision: 0n,
          position: result.position,
          eventId: appended.eventId,
          type: 'PartCataloged',
          data: appended.data,
          metadata: appended.metadata,
        });
        // A sanity bound against a zero or local-epoch date, wide enough for any clock skew.
        expect(read!.createdAt).toBeInstanceOf(Date);
        expect(Math.abs(read!.createdAt.getTime() - before)).toBeLessThan(10 * 60_000);
      });

      it('reads forwards from a revision, with a max count, across pages', async () => {
        const s = await store();
        const name = stream('forwards');
        await appendMany(s, name, 2_500, 500);
        const all = await collect(s.readStream(name));
        expect(all.map((e) => e.revision)).toEqual(revisions(0, 2_499));
        const window = await collect(s.readStream(name, { fromRevision: 998n, maxCount: 1_100 }));
        expect(window.map((e) => e.revision)).toEqual(revisions(998, 2_097));
        expect(await collect(s.readStream(name, { fromRevision: 2_500n }))).toEqual([]);
      });

      it('reads backwards from the end or from a revision', async () => {
        const s = await store();
        const name = stream('backwards');
        await appendMany(s, name, 1_200, 400);
        const fromEnd = await collect(s.readStream(name, { direction: 'backwards', maxCount: 3 }));
        expect(fromEnd.map((e) => e.revision)).toEqual([1_199n, 1_198n, 1_197n]);
        const all = await collect(s.readStream(name, { direction: 'backwards' }));
        expect(all.map((e) => e.revision)).toEqual(revisions(0, 1_199).reverse());
        const fromRevision = await collect(s.readStream(name, { direction: 'backwards', fromRevision: 2n }));
        expect(fromRevision.map((e) => e.revision)).toEqual([2n, 1n, 0n]);
      });

      it('reads appends of different lengths, interleaved with another stream, from any revision either way', async () => {
        const s = await store();
        const [name, other] = [stream('lengths'), stream('lengths-other')];
        const lengths = [1, 3, 1, 7, 2, 1, 5];
        let next = 0;
        for (const length of lengths) {
          const events = Array.from({ length }, (_, i) => event('Numbered', { n: next + i }));
          const result = await s.appendToStream(name, events, { expectedRevision: next === 0 ? 'no_stream' : BigInt(next - 1) });
          expect(result.nextRevision).toBe(BigInt(next + length - 1));
          next += length;
          await s.appendToStream(other, [event(), event()], { expectedRevision: 'any' });
        }
        const last = next - 1;
        const all = await collect(s.readStream(name));
        expect(all.map((e) => e.data['n'])).toEqual(Array.from({ length: next }, (_, i) => i));
        expect(all.every((e) => e.streamId === name)).toBe(true);
        for (let from = 0; from <= last; from++) {
          const forwards = await collect(s.readStream(name, { fromRevision: BigInt(from), maxCount: 4 }));
          expect(forwards.map((e) => e.revision)).toEqual(revisions(from, Math.min(from + 3, last)));
          const backwards = await collect(s.readStream(name, { direction: 'backwards', fromRevision: BigInt(from), maxCount: 4 }));
          expect(backwards.map((e) => e.revision)).toEqual(revisions(Math.max(0, from - 3), from).reverse());
          const several = await s.readStreams([name], new Map([[name, BigInt(from)]]));
          expect(several.get(name)).toEqual(all.slice(from));
        }
        await expect(s.appendToStream(name, [event()], { expectedRevision: BigInt(last - 1) })).rejects.toMatchObject({ actual: BigInt(last) });
      });

      it('throws StreamNotFound for a stream without events', async () => {
        const s = await store();
        const name = stream('nothing');
        const error = await rejection(collect(s.readStream(name)));
        expect(error).toBeInstanceOf(StreamNotFound);
        expect(error).toMatchObject({ stream: name });
        await expect(collect(s.readStream(name, { direction: 'backwards' }))).rejects.toBeInstanceOf(StreamNotFound);
      });
    });

    describe('reading several streams', () => {
      it('answers every requested stream with its events in revision order, [] for one without events', async () => {
        const s = await store();
        const [left, right, empty] = [stream('several-left'), stream('several-right'), stream('several-empty')];
        const leftEvents = [event(), event(), event()];
        const rightEvents = [event()];
        await s.appendToStream(left, leftEvents, { expectedRevision: 'no_stream' });
        await s.appendToStream(right, rightEvents, { expectedRevision: 'no_stream' });
        const read = await s.readStreams([right, empty, left]);
        expect([...read.keys()].sort()).toEqual([empty, left, right].sort());
        expect(read.get(left)!.map((e) => [e.eventId, e.revision])).toEqual(leftEvents.map((e, i) => [e.eventId, BigInt(i)]));
        expect(read.get(right)!.map((e) => e.eventId)).toEqual(rightEvents.map((e) => e.eventId));
        expect(read.get(left)!.every((e) => e.streamId === left)).toBe(true);
        expect(read.get(empty)).toEqual([]);
      });

      it('reads the same events as reading each stream alone, and nothing for no streams', async () => {
        const s = await store();
        const name = stream('several-same');
        await s.appendToStream(name, [event('PartCataloged', { partId: 'p-2' }), event()], { expectedRevision: 'no_stream' });
        const [alone, together] = [await collect(s.readStream(name)), await s.readStreams([name])];
        expect(together.get(name)).toEqual(alone);
        expect((await s.readStreams([])).size).toBe(0);
      });

      it('reads each stream named in fromRevisions from that revision on, [] past its end, and the others whole', async () => {
        const s = await store();
        const [tail, whole, past, empty] = [stream('tails-tail'), stream('tails-whole'), stream('tails-past'), stream('tails-empty')];
        const tailEvents = [event(), event(), event(), event()];
        await s.appendToStream(tail, tailEvents, { expectedRevision: 'no_stream' });
        await s.appendToStream(whole, [event(), event()], { expectedRevision: 'no_stream' });
        await s.appendToStream(past, [event(), event()], { expectedRevision: 'no_stream' });
        const read = await s.readStreams([tail, whole, past, empty], new Map([[tail, 2n], [past, 2n], [empty, 1n]]));
        expect(read.get(tail)!.map((e) => [e.eventId, e.revision])).toEqual(tailEvents.slice(2).map((e, i) => [e.eventId, BigInt(i + 2)]));
        expect(read.get(tail)).toEqual((await collect(s.readStream(tail))).slice(2));
        expect(read.get(whole)!.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(read.get(past)).toEqual([]);
        expect(read.get(empty)).toEqual([]);
        await expect(s.readStreams([tail], new Map([[tail, -1n]]))).rejects.toBeInstanceOf(RangeError);
      });
    });

    describe('reading all events', () => {
      it('reads every stream in global order after an exclusive position, with a max count', async () => {
        const s = await store();
        const start = await s.headPosition();
        const [left, right] = [stream('all-left'), stream('all-right')];
        const appended: EventToAppend[] = [];
        let last: AppendResult | undefined;
        for (let i = 0; i < 6; i++) {
          const e = event('Tick', { i });
          appended.push(e);
          last = await s.appendToStream(i % 2 === 0 ? left : right, [e], { expectedRevision: 'any' });
        }
        await untilHeadReaches(s, last!.position);
        const read = (await collect(s.readAll({ fromPosition: start }))).filter((e) => e.streamId === left || e.streamId === right);
        expect(read.map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
        expectStrictlyIncreasing(read.map((e) => e.position));
        const window = await collect(s.readAll({ fromPosition: read[1]!.position, maxCount: 2 }));
        expect(window.map((e) => e.eventId)).toEqual([appended[2]!.eventId, appended[3]!.eventId]);
      });

      it('includes the event at the start position when asked, taking the position from an event', async () => {
        const s = await store();
        const name = stream('all-inclusive');
        const events = [event(), event(), event()];
        const last = await s.appendToStream(name, events, { expectedRevision: 'no_stream' });
        await untilHeadReaches(s, last.position);
        const stored = await collect(s.readStream(name));
        const inclusive = await collect(s.readAll({ fromPosition: stored[1]!.position, includeFromPosition: true, maxCount: 2 }));
        expect(inclusive.map((e) => e.eventId)).toEqual([events[1]!.eventId, events[2]!.eventId]);
      });

      it('streams a log larger than one page in order', async () => {
        const s = await store();
        const start = await s.headPosition();
        const name = stream('big-log');
        const last = await appendMany(s, name, 2_500, 500);
        await untilHeadReaches(s, last.position);
        let count = 0;
        let previous = start;
        for await (const e of s.readAll({ fromPosition: start })) {
          if (e.streamId !== name) continue;
          expect(e.position).toBeGreaterThan(previous);
          expect(e.revision).toBe(BigInt(count));
          previous = e.position;
          count++;
        }
        expect(count).toBe(2_500);
      });

      it('reports the position of the newest event as the head', async () => {
        const s = await store();
        const result = await s.appendToStream(stream('head'), [event(), event()], { expectedRevision: 'no_stream' });
        await untilHeadReaches(s, result.position);
        expect(await s.headPosition()).toBe(result.position);
      });
    });

    describe('subscribing to all events', () => {
      it('delivers stored events, then live ones, and ends cleanly when the signal aborts', async () => {
        const s = await store();
        const name = stream('subscribe');
        const start = await s.headPosition();
        const stored = [event(), event(), event()];
        await s.appendToStream(name, stored, { expectedRevision: 'no_stream' });
        const subscriber = subscribe(s, start, (e) => e.streamId === name);
        await subscriber.until(3);
        const live = [event(), event()];
        await s.appendToStream(name, live, { expectedRevision: 2n });
        await subscriber.until(5);
        await subscriber.stop();
        expect(subscriber.received.map((e) => e.eventId)).toEqual([...stored, ...live].map((e) => e.eventId));
        expectStrictlyIncreasing(subscriber.received.map((e) => e.position));
      });

      it('starts strictly after the given position', async () => {
        const s = await store();
        const name = stream('subscribe-from');
        const events = [event(), event(), event()];
        await s.appendToStream(name, events, { expectedRevision: 'no_stream' });
        const all = await collect(s.readStream(name));
        const subscriber = subscribe(s, all[1]!.position, (e) => e.streamId === name);
        await subscriber.until(1);
        const sentinel = event('Sentinel');
        await s.appendToStream(name, [sentinel], { expectedRevision: 2n });
        await subscriber.until(2);
        await subscriber.stop();
        expect(subscriber.received.map((e) => e.eventId)).toEqual([events[2]!.eventId, sentinel.eventId]);
      });

      it('delivers every event of 8 concurrent writers exactly once, in increasing position order', async () => {
        const s = await store();
        const prefix = `load-${randomUUID()}`;
        const streams = Array.from({ length: 40 }, (_, i) => `${prefix}-${i}`);
        const start = await s.headPosition();
        const subscriber = subscribe(s, start, (e) => e.streamId.startsWith(prefix));
        const total = 10_000;
        const writers = 8;
        const appended: string[] = [];
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            let remaining = total / writers;
            while (remaining > 0) {
              const size = Math.min(remaining, 1 + ((writer * 7 + remaining) % 12));
              const batch = Array.from({ length: size }, () => event('Load', { writer }));
              const target = streams[Math.floor(Math.random() * streams.length)]!;
              await s.appendToStream(target, batch, { expectedRevision: 'any' });
              appended.push(...batch.map((e) => e.eventId));
              remaining -= size;
            }
          }),
        );
        // A sentinel after everything else: once it arrives, anything delivered twice would be in hand.
        const sentinel = event('Sentinel');
        await s.appendToStream(`${prefix}-end`, [sentinel], { expectedRevision: 'no_stream' });
        await subscriber.until(total + 1);
        await subscriber.stop();

        const received = subscriber.received;
        expect(received).toHaveLength(total + 1);
        expect(received[total]!.eventId).toBe(sentinel.eventId);
        expectStrictlyIncreasing(received.map((e) => e.position));
        expect(new Set(received.slice(0, total).map((e) => e.eventId))).toEqual(new Set(appended));
        const nextRevision = new Map<string, bigint>();
        for (const e of received) {
          expect(e.revision).toBe(nextRevision.get(e.streamId) ?? 0n);
          nextRevision.set(e.streamId, e.revision + 1n);
        }
      });
    });

    describe('upcasting', () => {
      it('reads events written in an old schema version in the current shape, everywhere', async () => {
        const upcasters = new UpcasterRegistry([
          { type: 'BikeRenamed', fromSchemaVersion: 1, upcast: (data) => ({ title: data.name }) },
          { type: 'BikeRenamed', fromSchemaVersion: 2, upcast: (data) => ({ ...data, trim: null }) },
        ]);
        const s = await store({ upcasters });
        const name = stream('upcast');
        const start = await s.headPosition();
        const old = event('BikeRenamed', { name: 'Tenere' }, 1);
        const current = event('BikeRenamed', { title: 'Africa Twin', trim: 'Adventure Sports' }, 3);
        const other = event('BikeRegistered', { name: 'unchanged' }, 1);
        const last = await s.appendToStream(name, [old, current, other], { expectedRevision: 'no_stream' });
        const expected = [
          { data: { title: 'Tenere', trim: null }, metadata: { ...old.metadata, schemaVersion: 3 } },
          { data: current.data, metadata: current.metadata },
          { data: other.data, metadata: other.metadata },
        ];

        const fromStream = await collect(s.readStream(name));
        expect(fromStream.map(({ data, metadata }) => ({ data, metadata }))).toEqual(expected);

        await untilHeadReaches(s, last.position);
        const fromAll = (await collect(s.readAll({ fromPosition: start }))).filter((e) => e.streamId === name);
        expect(fromAll.map(({ data, metadata }) => ({ data, metadata }))).toEqual(expected);

        const subscriber = subscribe(s, start, (e) => e.streamId === name);
        await subscriber.until(3);
        await subscriber.stop();
        expect(subscriber.received.map(({ data, metadata }) => ({ data, metadata }))).toEqual(expected);
      });
    });

    describe('idempotent append, more cases', () => {
      it('rejects the same ids in another order as DuplicateEventIds, naming them as the caller did', async () => {
        const s = await store();
        const name = stream('reordered');
        const [a, b] = [event(), event()];
        await s.appendToStream(name, [a, b], { expectedRevision: 'no_stream' });
        const error = await rejection(s.appendToStream(name, [b, a], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(DuplicateEventIds);
        expect(error).toMatchObject({ stream: name, eventIds: [b.eventId, a.eventId] });
        expect((await collect(s.readStream(name))).map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);
      });

      it('tells a replay from a conflict when the stream moved on: the original result, or the actual revision', async () => {
        const s = await store();
        const name = stream('replay-or-conflict');
        const first = [event(), event()];
        const original = await s.appendToStream(name, first, { expectedRevision: 'no_stream' });
        await s.appendToStream(name, [event()], { expectedRevision: 1n });
        expect(await s.appendToStream(name, first, { expectedRevision: 'no_stream' })).toEqual(original);
        const conflict = await rejection(s.appendToStream(name, [event()], { expectedRevision: 1n }));
        expect(conflict).toBeInstanceOf(WrongExpectedRevision);
        expect(conflict).toMatchObject({ stream: name, expected: 1n, actual: 2n });
      });
    });
  });
}

export function stream(purpose: string): string {
  return `contract_${purpose}-${randomUUID()}`;
}

export function event(type = 'Tested', data: Record<string, unknown> = {}, schemaVersion = 1): EventToAppend {
  const metadata: EventMetadata = {
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: 'system:contract-test',
    schemaVersion,
    occurredAt: '2026-11-22T10:00:00.000Z',
  };
  return { eventId: randomUUID(), type, data, metadata };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, but it resolved');
    },
    (error: unknown) => error,
  );
}

async function appendMany(s: EventStore, name: string, count: number, batch: number): Promise<AppendResult> {
  let last: AppendResult | undefined;
  for (let done = 0; done < count; done += batch) {
    const events = Array.from({ length: Math.min(batch, count - done) }, (_, i) => event('Numbered', { n: done + i }));
    last = await s.appendToStream(name, events, { expectedRevision: done === 0 ? 'no_stream' : BigInt(done - 1) });
  }
  return last!;
}

function revisions(from: number, to: number): bigint[] {
  return Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));
}

export function expectStrictlyIncreasing(positions: bigint[]): void {
  const firstViolation = positions.findIndex((position, i) => i > 0 && position <= positions[i - 1]!);
  expect(firstViolation).toBe(-1);
}

/**
 * The global log shows an append once every older writing transaction has ended (PostgreSQL's
 * gap-free read; EventStoreDB shows it at once), so a reader waits for the head before reading.
 */
export async function untilHeadReaches(s: EventStore, position: bigint): Promise<void> {
  const deadline = Date.now() + patienceMs;
  while ((await s.headPosition()) < position) {
    if (Date.now() > deadline) throw new Error(`head never reached position ${position}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface RunningSubscriber {
  received: RecordedEvent[];
  /** Resolves once `count` events arrived; fails if the subscription throws or nothing comes for long. */
  until(count: number): Promise<void>;
  /** Aborts and waits until the iteration has ended; rethrows what the subscription threw. */
  stop(): Promise<void>;
}

export function subscribe(
  s: EventStore,
  fromPosition: bigint,
  keep: (event: RecordedEvent) => boolean,
  onRetry?: (error: Error, attempt: number) => void,
): RunningSubscriber {
  const controller = new AbortController();
  const received: RecordedEvent[] = [];
  let arrived: () => void = () => undefined;
  let failure: unknown;
  const running = (async () => {
    for await (const e of s.subscribeToAll({ fromPosition, signal: controller.signal, ...(onRetry ? { onRetry } : {}) })) {
      if (keep(e)) received.push(e);
      arrived();
    }
  })().catch((error: unknown) => {
    failure = error;
    arrived();
  });
  return {
    received,
    async until(count) {
      const deadline = Date.now() + patienceMs;
      while (received.length < count) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`subscriber received ${received.length} of ${count} events`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          arrived = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    async stop() {
      controller.abort();
      await running;
      if (failure) throw failure;
    },
  };
}
