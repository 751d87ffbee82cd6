import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fitmentStream, verifyChain } from '@mpp/domain';
import { createTestDatabase, editEventMetadata, type TestDatabase } from '@mpp/testing';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { eventsToAppend } from '../commands/event-envelope.js';
import { createPostgresEventStore, type PostgresEventStore } from '../postgres/postgres-event-store.js';
import { ChainTails } from './chain-tails.js';

const RECHECK_MS = 60_000;

/** The store as it is, keeping how many events each `readStreams` call brought back, and the calls themselves. */
function countingEventsRead(store: EventStore): { store: EventStore; eventsRead: number[]; reads: Promise<unknown>[] } {
  const eventsRead: number[] = [];
  const reads: Promise<unknown>[] = [];
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStreams') {
        return (...args: Parameters<EventStore['readStreams']>) => {
          const read = target.readStreams(...args).then((answer) => {
            eventsRead.push([...answer.values()].reduce((sum, events) => sum + events.length, 0));
            return answer;
          });
          reads.push(read);
          return read;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, eventsRead, reads };
}

describe('ChainTails: fitment chains checked from their verified head, and whole again after the recheck interval', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url, applicationName: 'mpp-chain-tails-test' });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  /** A fresh pair's stream; `append(n)` adds n chained verification events and answers the last position. */
  function pairStream() {
    const partId = randomUUID();
    const bikeId = randomUUID();
    const stream = fitmentStream(partId, bikeId);
    let head: { lastHash: string | undefined; nextRevision: bigint } = { lastHash: undefined, nextRevision: 0n };
    const append = async (n: number): Promise<bigint> => {
      const events = eventsToAppend(
        stream,
        Array.from({ length: n }, (_, i) => ({ type: 'VerificationSubmitted', data: { verificationId: randomUUID(), partId, bikeId, userId: 'user-1', fits: i % 2 === 0 } })),
        head,
        { actor: 'user-1', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: '2026-12-01T10:00:00Z' },
      );
      const result = await store.appendToStream(stream, events, { expectedRevision: head.nextRevision === 0n ? 'no_stream' : head.nextRevision - 1n });
      head = { lastHash: String(events.at(-1)!.metadata.hash), nextRevision: result.nextRevision + 1n };
      return result.position;
    };
    const events = async (): Promise<RecordedEvent[]> => (await store.readStreams([stream])).get(stream)!;
    return { stream, append, events };
  }

  function chainTails(capacity = 100) {
    const clock = { now: 1_000_000 };
    const counted = countingEventsRead(store);
    const tails = new ChainTails(counted.store, { recheckMs: RECHECK_MS, capacity, now: () => clock.now });
    return { tails, clock, eventsRead: counted.eventsRead, reads: counted.reads };
  }

  it('reads only the events after the verified head when a stream grows, and answers what checking the whole stream answers', async () => {
    const pair = pairStream();
    const { tails, eventsRead } = chainTails();
    const first = await tails.verifyUpTo([pair.stream], await pair.append(3));
    expect(first.chains.get(pair.stream)).toEqual(verifyChain(await pair.events()));
    expect(first.chains.get(pair.stream)).toMatchObject({ valid: true, eventCount: 3 });

    const upTo = await pair.append(2);
    const second = await tails.verifyUpTo([pair.stream], upTo);
    expect(eventsRead).toEqual([3, 2]);
    expect(second.chains.get(pair.stream)).toEqual(verifyChain(await pair.events()));
    expect(second.chains.get(pair.stream)).toMatchObject({ valid: true, eventCount: 5 });
    // Nothing new: the head alone answers.
    const third = await tails.verifyUpTo([pair.stream], upTo);
    expect(eventsRead).toEqual([3, 2, 0]);
    expect(third.chains.get(pair.stream)).toEqual(second.chains.get(pair.stream));
  });

  it('checks only the events up to the given position, and takes the later ones on the next call', async () => {
    const pair = pairStream();
    const { tails, eventsRead } = chainTails();
    const upTo = await pair.append(2);
    await pair.append(2);
    expect((await tails.verifyUpTo([pair.stream], upTo)).chains.get(pair.stream)).toEqual(verifyChain((await pair.events()).slice(0, 2)));
    const all = await tails.verifyUpTo([pair.stream], await pair.append(1));
    expect(all.chains.get(pair.stream)).toEqual(verifyChain(await pair.events()));
    expect(eventsRead).toEqual([4, 3]);
  });

  it('catches a changed event of the new tail at once', async () => {
    const pair = pairStream();
    const { tails } = chainTails();
    await tails.verifyUpTo([pair.stream], await pair.append(2));
    const upTo = await pair.append(2);
    const victim = (await pair.events())[3]!;
    await editEventMetadata(db.knex, victim.eventId, { actor: 'someone-else' });
    expect((await tails.verifyUpTo([pair.stream], upTo)).chains.get(pair.stream)).toEqual({
      valid: false,
      brokenAt: { revision: 3, eventId: victim.eventId, reason: 'hash_mismatch' },
    });
  });

  it('catches a changed event it had already verified once the recheck interval has passed, and says when that is due', async () => {
    const pair = pairStream();
    const { tails, clock } = chainTails();
    const checked = await tails.verifyUpTo([pair.stream], await pair.append(3));
    expect(checked.recheckBy).toBe(clock.now + RECHECK_MS);
    const victim = (await pair.events())[1]!;
    await editEventMetadata(db.knex, victim.eventId, { actor: 'someone-else' });

    // Within the interval the verified head is trusted: only the new event is read and checked.
    clock.now += RECHECK_MS - 1;
    const upTo = await pair.append(1);
    const trusted = await tails.verifyUpTo([pair.stream], upTo);
    expect(trusted.chains.get(pair.stream)).toMatchObject({ valid: true, eventCount: 4 });
    expect(trusted.recheckBy).toBe(checked.recheckBy);

    clock.now += 1;
    const rechecked = await tails.verifyUpTo([pair.stream], upTo);
    expect(rechecked.chains.get(pair.stream)).toEqual({ valid: false, brokenAt: { revision: 1, eventId: victim.eventId, reason: 'hash_mismatch' } });
    expect(rechecked.chains.get(pair.stream)).toEqual(verifyChain(await pair.events()));
    // A broken chain is not remembered: every call checks it whole, and a repaired log shows at once.
    await editEventMetadata(db.knex, victim.eventId, { actor: 'user-1' });
    expect((await tails.verifyUpTo([pair.stream], upTo)).chains.get(pair.stream)).toMatchObject({ valid: true, eventCount: 4 });
  });

  it('forgets the least recently checked stream past its capacity, and checks that one whole again', async () => {
    const [a, b, c] = [pairStream(), pairStream(), pairStream()];
    const { tails } = chainTails(2);
    await tails.verifyUpTo([a.stream], await a.append(2));
    await tails.verifyUpTo([b.stream], await b.append(2));
    const victim = (await a.events())[0]!;
    await editEventMetadata(db.knex, victim.eventId, { actor: 'someone-else' });
    // `a` is still remembered: its tamper is not seen yet. Checking it makes `b` the least recent.
    expect((await tails.verifyUpTo([a.stream], await a.append(1))).chains.get(a.stream)).toMatchObject({ valid: true });
    await tails.verifyUpTo([c.stream], await c.append(1));
    await tails.verifyUpTo([b.stream], await b.append(1));
    // Two more streams since `a` was checked: it was forgotten, so it is read and checked whole.
    expect((await tails.verifyUpTo([a.stream], await a.append(1))).chains.get(a.stream)).toMatchObject({ valid: false, brokenAt: { eventId: victim.eventId } });
  });

  it('reads ahead of the position once when the read reached it, and on from where the read ended when it had not', async () => {
    const pair = pairStream();
    const { tails, eventsRead, reads } = chainTails();
    await tails.verifyUpTo([pair.stream], await pair.append(2));
    // The event at the position was committed before the read began: one read.
    const upTo = await pair.append(1);
    expect((await tails.readAhead([pair.stream]).upTo(upTo)).chains.get(pair.stream)).toEqual(verifyChain(await pair.events()));
    expect(eventsRead).toEqual([2, 1]);
    // Committed after the read ahead was done: only a second read, from where the first ended, sees it.
    const ahead = tails.readAhead([pair.stream]);
    await reads[2];
    const later = await pair.append(1);
    const { chains } = await ahead.upTo(later);
    expect(eventsRead).toEqual([2, 1, 0, 1]);
    expect(chains.get(pair.stream)).toEqual(verifyChain(await pair.events()));
    expect(chains.get(pair.stream)).toMatchObject({ valid: true, eventCount: 4 });
  });

  it('reads a remembered stream whole again when read ahead for a position before its verified head', async () => {
    const pair = pairStream();
    const { tails, eventsRead } = chainTails();
    const older = await pair.append(2);
    await tails.verifyUpTo([pair.stream], await pair.append(2));
    const { chains } = await tails.readAhead([pair.stream]).upTo(older);
    expect(chains.get(pair.stream)).toEqual(verifyChain((await pair.events()).slice(0, 2)));
    expect(eventsRead).toEqual([4, 0, 4]);
  });

  it('answers several streams in one read, a stream without events as an empty valid chain', async () => {
    const [grown, fresh] = [pairStream(), pairStream()];
    const empty = fitmentStream(randomUUID(), randomUUID());
    const { tails, eventsRead } = chainTails();
    await tails.verifyUpTo([grown.stream], await grown.append(2));
    await grown.append(1);
    const upTo = await fresh.append(2);
    const { chains } = await tails.verifyUpTo([grown.stream, fresh.stream, empty], upTo);
    expect(eventsRead).toEqual([2, 3]);
    expect(chains.get(grown.stream)).toEqual(verifyChain(await grown.events()));
    expect(chains.get(fresh.stream)).toEqual(verifyChain(await fresh.events()));
    expect(chains.get(empty)).toEqual({ valid: true, lastHash: '0'.repeat(64), eventCount: 0 });
  });
});
