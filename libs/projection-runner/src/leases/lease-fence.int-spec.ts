import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex, type Knex } from '@mpp/db';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { LeaseKeeper } from './lease-keeper.js';
import { projectionWork } from './projection-work.js';
import { closeGate, countedEvent, gatedTally } from './testing/tallies.js';

const PROJECTION = 'fenced_tally';
/** The advisory lock the test holds to keep a batch open: the handler waits for it inside the batch's transaction. */
const GATE_KEY = 421_021;
const EVENTS = 40;

async function until(condition: () => boolean | Promise<boolean>, describe: () => string | Promise<string>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the lease fence', () => {
  let db: TestDatabase;
  let store: EventStore;
  const pools: Knex[] = [];
  const keepers: LeaseKeeper[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
  });
  afterAll(async () => {
    await Promise.allSettled(keepers.map((k) => k.stop()));
    await Promise.all(pools.map((p) => p.destroy()));
    await store.close();
    await db.drop();
  });

  /** One keeper as one projector process: its own pool and holder, a real runner of the projection. */
  function projector(name: string, entered: string[]): LeaseKeeper {
    const pool = createKnex(db.url, { poolMax: 4, applicationName: `fence-test-${name}` });
    pools.push(pool);
    const keeper = new LeaseKeeper({
      knex: pool,
      works: [projectionWork({ knex: pool, store, batchSize: 1_000 }, gatedTally(PROJECTION, GATE_KEY, name, entered))],
      holder: `test:${name}:${randomUUID().slice(0, 8)}`,
      heartbeatMs: 200,
      ttlMs: 600,
    });
    keepers.push(keeper);
    return keeper;
  }

  const leaseOwner = async () => (await db.knex('projection_leases').where({ projection: PROJECTION }).first('owner'))?.owner as string | null | undefined;
  const heartbeatOf = async (holder: string) => String((await db.knex('projector_members').where({ member: holder }).first('heartbeat_at'))?.heartbeat_at);

  it('starts no batch of the next holder while the previous holder’s batch is still open, however long ago its lease ran out', async () => {
    const entered: string[] = [];
    const a = projector('a', entered);
    await a.start();
    await until(() => a.owned().includes(PROJECTION), () => `a never took the lease: ${JSON.stringify(a.owned())}`);
    const b = projector('b', entered);
    await b.start();

    const gate = await closeGate(db.knex, GATE_KEY);
    let gateOpen = false;
    try {
      const stream = `fenced-${randomUUID()}`;
      await store.appendToStream(stream, Array.from({ length: EVENTS }, () => countedEvent('Gated')), { expectedRevision: 'any' });
      // a's batch is open and waits at the gate: its transaction has started and cannot end yet.
      await until(() => entered.includes('a'), () => `a's batch never started: ${JSON.stringify(entered)}`);

      // As after a stall longer than the TTL: the lease ran out in the database. Forced again at
      // every heartbeat of b's, so that each of b's attempts to take it sees it expired.
      const beatsOfB = new Set<string>();
      await until(
        async () => {
          await db.knex('projection_leases').where({ projection: PROJECTION }).update({ expires_at: db.knex.raw(`now() - interval '1 second'`) });
          beatsOfB.add(await heartbeatOf(b.holder));
          // b has had several heartbeats to take the expired lease; if it took it, its runner gets time to start a batch.
          return entered.includes('b') || (beatsOfB.size >= 5 && (await leaseOwner()) !== b.holder);
        },
        async () => `b neither started a batch nor stayed out: owner ${await leaseOwner()}, entered ${JSON.stringify(entered)}`,
      );
      expect(entered.filter((keeper) => keeper === 'b')).toEqual([]);
      gateOpen = true;
      await gate.open();
    } finally {
      if (!gateOpen) await gate.open();
    }

    const head = await store.headPosition();
    await until(
      async () => String((await db.knex('projection_checkpoints').where({ projection: PROJECTION, state: 'active' }).first('position'))?.position) === head.toString(),
      async () => `not caught up with ${head}: ${JSON.stringify(await db.knex('projection_checkpoints').where({ projection: PROJECTION }))}`,
    );
    const rows = await db.knex(`${PROJECTION}_counts`).select('stream_id', 'n');
    expect(rows).toEqual([{ stream_id: expect.stringMatching(/^fenced-/), n: EVENTS }]);
    expect(Number((await db.knex('projection_dead_letters').count({ n: '*' }))[0]!.n)).toBe(0);
  }, 90_000);
});
