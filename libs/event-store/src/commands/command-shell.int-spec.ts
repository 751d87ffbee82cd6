import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { fitmentDecider, fitmentStream, type SubmitVerification } from '@mpp/domain';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { collect, event } from '../event-store.contract.js';
import type { EventStore } from '../event-store.port.js';
import { createPostgresEventStore, type PostgresEventStore } from '../postgres/postgres-event-store.js';
import { CommandShell, handleCommand, type PersonalTextKeys } from './command-shell.js';
import { systemContext } from './command-context.js';

/** The keys port held in memory: the shell's other adapter, not what is under test. */
function keysInMemory(onKeyFor: () => Promise<void> = async () => undefined): PersonalTextKeys & { keyForCalls: number } {
  const keys = new Map<string, Buffer>();
  return {
    keyForCalls: 0,
    async read(userIds) {
      return new Map([...userIds].flatMap((id) => (keys.has(id) ? [[id, keys.get(id)!] as const] : [])));
    },
    async keyFor(userId) {
      this.keyForCalls += 1;
      await onKeyFor();
      if (!keys.has(userId)) keys.set(userId, randomBytes(32));
      return keys.get(userId)!;
    },
  };
}

/** The store as it is, counting the stream reads that reach it. */
function countingReads(store: EventStore): { store: EventStore; reads: () => number } {
  let reads = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return (...args: Parameters<EventStore['readStream']>) => {
          reads += 1;
          return target.readStream(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, reads: () => reads };
}

describe('CommandShell on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url, applicationName: 'mpp-command-shell-test', poolSize: 4 });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const submit = (partId: string, bikeId: string, userId: string, notes?: string): Omit<SubmitVerification, 'partExists' | 'bikeExists'> => ({
    type: 'SubmitVerification',
    verificationId: randomUUID(),
    partId,
    bikeId,
    userId,
    fits: true,
    ...(notes === undefined ? {} : { notes }),
  });

  it('reads a command’s facts once, also when a concurrent append makes it decide again', async () => {
    const [partId, bikeId] = [randomUUID(), randomUUID()];
    const stream = fitmentStream(partId, bikeId);
    // Another writer (another process: no shared queue) appends to the pair while this command is
    // sealing its note, after its load: the append meets a conflict and the command decides again.
    let interfered = false;
    const keys = keysInMemory(async () => {
      if (interfered) return;
      interfered = true;
      await handleCommand(
        { store, keys: keysInMemory() },
        { stream, decider: fitmentDecider, command: () => ({ ...submit(partId, bikeId, 'rider-b'), partExists: true, bikeExists: true }), context: systemContext('test') },
      );
    });
    let factReads = 0;
    const outcome = await new CommandShell({ store, keys }).execute({
      stream,
      decider: fitmentDecider,
      facts: async () => {
        factReads += 1;
        return [true, true] as const;
      },
      command: (_state, _loaded, [partExists, bikeExists]) => ({ ...submit(partId, bikeId, 'rider-a', 'Fits with a 2 mm gap'), partExists, bikeExists }),
      context: systemContext('test'),
      retriesOnConflict: 3,
    });

    expect(keys.keyForCalls).toBe(2);
    expect(factReads).toBe(1);
    expect(outcome.revision).toBe(1n);
    expect((await collect(store.readStream(stream))).map((e) => e.data.userId)).toEqual(['rider-b', 'rider-a']);
  });

  it('asks the store whether a stream exists until it has seen it exist, and not after', async () => {
    const counted = countingReads(store);
    const shell = new CommandShell({ store: counted.store, keys: keysInMemory() });
    const stream = `part-${randomUUID()}`;

    expect(await shell.exists(stream)).toBe(false);
    expect(await shell.exists(stream)).toBe(false);
    expect(counted.reads()).toBe(2);

    await store.appendToStream(stream, [event('Tested')], { expectedRevision: 'no_stream' });
    expect(await shell.exists(stream)).toBe(true);
    expect(await shell.exists(stream)).toBe(true);
    expect(counted.reads()).toBe(3);
  });
});
