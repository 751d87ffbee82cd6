import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex, type Knex } from '@mpp/db';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import type { RunnerLogger } from '../projection-runner.js';
import { LeaseKeeper, type LeasedWork } from './lease-keeper.js';
import { listLeases } from './projection-leases.js';
import { projectionStatusesWithOwners } from './projection-owners.js';
import { projectionWork } from './projection-work.js';
import { closeGate, countedEvent, gatedTally, tally } from './testing/tallies.js';

// Faster than production (1 s / 3 s) so that the suite is short; the ratio is the same.
const TIMING = { heartbeatMs: 150, ttlMs: 450 };
const NAMES = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];

/** Records which keeper runs each work, and every moment two ran one work at once. */
class RunLog {
  readonly running = new Map<string, string>();
  readonly overlaps: string[] = [];
  worksFor(keeper: string): LeasedWork[] {
    return NAMES.map((name) => ({
      name,
      start: async () => {
        const other = this.running.get(name);
        if (other && other !== keeper) this.overlaps.push(`${name} started by ${keeper} while ${other} ran it`);
        this.running.set(name, keeper);
      },
      stop: async () => {
        if (this.running.get(name) === keeper) this.running.delete(name);
      },
    }));
  }
}

async function until(condition: () => boolean | Promise<boolean>, describe: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Samples every keeper's owned() until stopped: a name in two sets at one moment is a double owner. */
function sampleOwners(keepers: () => LeaseKeeper[]): { stop(): string[]; samples(): number } {
  const doubles: string[] = [];
  let samples = 0;
  const timer = setInterval(() => {
    samples += 1;
    const seen = new Map<string, string>();
    for (const keeper of keepers()) {
      for (const name of keeper.owned()) {
        const other = seen.get(name);
        if (other) doubles.push(`${name}: ${other} and ${keeper.holder}`);
        seen.set(name, keeper.holder);
      }
    }
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return doubles;
    },
    samples: () => samples,
  };
}

describe('projection leases', () => {
  let db: TestDatabase;
  const pools: Knex[] = [];
  const keepers: LeaseKeeper[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    // A keeper cut off from the database may fail to stop cleanly; it must still stop its timers.
    await Promise.allSettled(keepers.splice(0).map((k) => k.stop()));
    await Promise.all(pools.splice(0).map((p) => p.destroy()));
    await db.knex('projection_leases').delete();
    await db.knex('projector_members').delete();
  });
  afterAll(async () => {
    await db.drop();
  });

  /** Each keeper on its own pool, as in its own process: destroying the pool cuts it off the database. */
  function keeper(
    name: string,
    works: (holder: string, pool: Knex) => readonly LeasedWork[],
    options: { heartbeatMs?: number; ttlMs?: number; maxTtlMs?: number; logger?: RunnerLogger } = {},
  ): { keeper: LeaseKeeper; pool: Knex } {
    const pool = createKnex(db.url, { poolMax: 4, applicationName: `lease-test-${name}` });
    pools.push(pool);
    const holder = `test:${name}:${randomUUID().slice(0, 8)}`;
    const k = new LeaseKeeper({ knex: pool, works: works(holder, pool), holder, ...TIMING, ...options });
    keepers.push(k);
    return { keeper: k, pool };
  }

  /**
   * Like a SIGKILL as the database sees it: the keeper's connections die (their open transactions
   * roll back) and it can open no others; no release, no leaving, its leases can only expire.
   */
  async function cutOff(pool: Knex, name: string): Promise<void> {
    await db.knex.raw('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?', [`lease-test-${name}`]);
    await pool.destroy();
  }

  const spreadAcross = (ks: LeaseKeeper[], share: number) => {
    const owned = ks.map((k) => k.owned());
    return owned.flat().sort().join() === NAMES.join() && owned.every((o) => o.length <= share && o.length >= NAMES.length - share * (ks.length - 1));
  };

  it('spreads eight projections over three processes, at most ceil(8/3) each, with one owner at every sampled moment', async () => {
    const log = new RunLog();
    const ks = ['a', 'b', 'c'].map((n) => keeper(n, (holder) => log.worksFor(holder)).keeper);
    const sampler = sampleOwners(() => ks);
    await Promise.all(ks.map((k) => k.start()));
    await until(() => spreadAcross(ks, 3), () => JSON.stringify(ks.map((k) => k.owned())));

    const leases = await listLeases(db.knex);
    expect(leases.map((l) => l.projection)).toEqual(NAMES);
    for (const lease of leases) expect(ks.find((k) => k.owned().includes(lease.projection))!.holder).toBe(lease.owner);
    expect([...log.running.keys()].sort()).toEqual(NAMES);
    expect(sampler.stop()).toEqual([]);
    expect(sampler.samples()).toBeGreaterThan(10);
    expect(log.overlaps).toEqual([]);
  });

  it('moves the projections of a process cut off from the database to the others, never running one twice', async () => {
    const log = new RunLog();
    const started = ['a', 'b', 'c'].map((n) => keeper(n, (holder) => log.worksFor(holder)));
    const ks = started.map((s) => s.keeper);
    await Promise.all(ks.map((k) => k.start()));
    await until(() => spreadAcross(ks, 3), () => JSON.stringify(ks.map((k) => k.owned())));

    const sampler = sampleOwners(() => ks);
    const [victim, ...survivors] = started;
    const victimHeld = victim!.keeper.owned();
    expect(victimHeld.length).toBeGreaterThan(0);
    await cutOff(victim!.pool, 'a');
    await until(
      () => spreadAcross(survivors.map((s) => s.keeper), 4),
      () => JSON.stringify(survivors.map((s) => s.keeper.owned())),
    );
    expect(victim!.keeper.owned()).toEqual([]);
    const leases = await listLeases(db.knex);
    const survivorIds = survivors.map((s) => s.keeper.holder);
    for (const name of victimHeld) expect(survivorIds).toContain(leases.find((l) => l.projection === name)!.owner);
    expect(sampler.stop()).toEqual([]);
    expect(log.overlaps).toEqual([]);
    // The victim stays in `keepers`: afterEach stops it too, or its heartbeat timer outlives the suite.
  });

  it('takes over the projections of a dead process beyond the share while a live member takes none (one still booting)', async () => {
    const log = new RunLog();
    const warnings: string[] = [];
    const logger: RunnerLogger = { log: () => {}, warn: (message) => warnings.push(message), error: () => {} };
    const started = ['a', 'b', 'c'].map((n) => keeper(n, (holder) => log.worksFor(holder), { logger }));
    const ks = started.map((s) => s.keeper);
    await Promise.all(ks.map((k) => k.start()));
    await until(() => spreadAcross(ks, 3), () => JSON.stringify(ks.map((k) => k.owned())));

    const sampler = sampleOwners(() => ks);
    const [victim, ...survivors] = started;
    // Registered, so counted in everyone's share (three live members: ceil(8/3) = 3 each), but it
    // never takes a lease: what a restarted process starved of CPU looks like to the others.
    await db.knex('projector_members').insert({ member: 'test:booting:0', expires_at: db.knex.raw(`now() + interval '1 hour'`) });
    await cutOff(victim!.pool, 'a');
    const survivorIds = new Set(survivors.map((s) => s.keeper.holder));
    await until(
      async () => (await listLeases(db.knex)).every((l) => l.owner !== null && survivorIds.has(l.owner) && !l.expired),
      () => JSON.stringify(survivors.map((s) => s.keeper.owned())),
    );
    expect(survivors.flatMap((s) => s.keeper.owned()).sort()).toEqual(NAMES);
    expect(warnings.some((w) => w.includes('beyond a share of 3'))).toBe(true);
    expect(sampler.stop()).toEqual([]);
    expect(log.overlaps).toEqual([]);
  });

  it('keeps renewing a lease it hands over until its run has stopped, so it never reads as owned by nobody', async () => {
    let stopMayEnd!: () => void;
    const gate = new Promise<void>((resolve) => (stopMayEnd = resolve));
    const log = new RunLog();
    // p8 is handed over first (the last names go first) and its run is slow to stop: a batch in flight.
    const slowToStop = (holder: string) => log.worksFor(holder).map((w) => (w.name === 'p8' ? { ...w, stop: async () => (await gate, w.stop()) } : w));
    const { keeper: a } = keeper('a', slowToStop);
    await a.start();
    await until(() => a.owned().length === NAMES.length, () => JSON.stringify(a.owned()));

    const { keeper: b } = keeper('b', slowToStop);
    await b.start();
    await until(() => !a.owned().includes('p8'), () => `a never handed p8 over: ${JSON.stringify(a.owned())}`);
    const lease = async () => (await listLeases(db.knex)).find((l) => l.projection === 'p8')!;
    const seen: string[] = [];
    try {
      // Many TTLs (450 ms) while the run stops: the lease stays a's and live throughout.
      for (const until = Date.now() + 3_000; Date.now() < until; ) {
        const l = await lease();
        if (l.owner !== a.holder || l.expired) seen.push(`${l.owner ?? 'nobody'}${l.expired ? ' (expired)' : ''}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      stopMayEnd();
    }
    expect(seen).toEqual([]);
    expect(b.owned()).not.toContain('p8');
    await until(() => b.owned().includes('p8'), () => `b never took p8: ${JSON.stringify([a.owned(), b.owned()])}`);
    expect(log.overlaps).toEqual([]);
  });

  it('hands every lease of a process that stops cleanly back at once', async () => {
    const log = new RunLog();
    const [a, b] = ['a', 'b'].map((n) => keeper(n, (holder) => log.worksFor(holder)).keeper);
    await Promise.all([a!.start(), b!.start()]);
    await until(() => spreadAcross([a!, b!], 4), () => JSON.stringify([a!.owned(), b!.owned()]));
    await a!.stop();
    keepers.splice(keepers.indexOf(a!), 1);
    expect((await listLeases(db.knex)).filter((l) => l.owner === a!.holder)).toEqual([]);
    expect(await db.knex('projector_members').where({ member: a!.holder }).first()).toBeUndefined();
    await until(() => b!.owned().length === NAMES.length, () => JSON.stringify(b!.owned()));
    expect(log.overlaps).toEqual([]);
  });

  it('starts one run of a work lost and taken back twice while its first run is still stopping', async () => {
    let stopsMayEnd!: () => void;
    const gate = new Promise<void>((resolve) => (stopsMayEnd = resolve));
    let runs = 0;
    let mostAtOnce = 0;
    const slowToStop: LeasedWork = {
      name: 'p1',
      start: async () => {
        runs += 1;
        mostAtOnce = Math.max(mostAtOnce, runs);
      },
      stop: async () => {
        await gate;
        runs -= 1;
      },
    };
    const { keeper: k } = keeper('a', () => [slowToStop]);
    await k.start();
    await until(() => k.owned().includes('p1'), () => JSON.stringify(k.owned()));
    const owner = async () => (await db.knex('projection_leases').where({ projection: 'p1' }).first('owner'))?.owner as string | null;
    try {
      for (let loss = 0; loss < 2; loss++) {
        // Taken by another process for a moment and let go: the keeper's renewal fails, it stops its run and takes the lease again.
        await db.knex('projection_leases').where({ projection: 'p1' }).update({ owner: 'test:ghost', expires_at: db.knex.raw(`now() - interval '1 second'`) });
        await until(async () => (await owner()) === k.holder, () => `${k.holder} did not take p1 back`);
      }
    } finally {
      stopsMayEnd();
    }
    await until(() => k.owned().includes('p1') && runs > 0, () => `runs ${runs}, owned ${JSON.stringify(k.owned())}`);
    // Waits for every start and stop asked for: a run started twice would leave one nobody stops.
    await k.stop();
    expect(mostAtOnce).toBe(1);
    expect(runs).toBe(0);
  });

  it('lengthens the leases it asks for to three renewal round trips while renewals are slow, up to its bound', async () => {
    // Fenced, as a projection is: it waits for a slow renewal's answer instead of stopping at its local deadline.
    let stops = 0;
    const work: LeasedWork = { name: 'p1', fenced: true, start: async () => {}, stop: async () => void (stops += 1) };
    const { keeper: k } = keeper('slow', () => [work], { maxTtlMs: 1_800 });
    await k.start();
    await until(() => k.owned().includes('p1'), () => JSON.stringify(k.owned()));
    const askedTtl = async () => {
      const { rows } = await db.knex.raw<{ rows: { ms: number }[] }>(
        `SELECT (extract(epoch FROM expires_at - heartbeat_at) * 1000)::int AS ms FROM projection_leases WHERE projection = 'p1'`,
      );
      return rows[0]!.ms;
    };

    // The test's lock on the lease row holds the keeper's next renewal back (as a busy database
    // would) for at least 700 ms: three such round trips are beyond the 1,800 ms bound.
    await db.knex.transaction(async (trx) => {
      await trx.raw(`SELECT 1 FROM projection_leases WHERE projection = 'p1' FOR UPDATE`);
      const renewalWaiting = async () =>
        Number(
          (
            await db.knex.raw<{ rows: { n: number }[] }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'lease-test-slow' AND wait_event_type = 'Lock' AND query LIKE 'UPDATE projection_leases SET heartbeat_at%'`,
            )
          ).rows[0]!.n,
        ) > 0;
      await until(renewalWaiting, () => 'the renewal never waited on the lock');
      await new Promise((resolve) => setTimeout(resolve, 700));
    });
    // The renewal after the slow one asks for the longer lease.
    await until(async () => (await askedTtl()) === 1_800, () => 'the keeper never asked for a longer lease');
    const member = await db.knex.raw<{ rows: { ms: number }[] }>(
      `SELECT (extract(epoch FROM expires_at - heartbeat_at) * 1000)::int AS ms FROM projector_members WHERE member = ?`,
      [k.holder],
    );
    expect(member.rows[0]!.ms).toBe(1_800);
    // A renewal slower than the whole lease did not cost the keeper its work.
    expect(stops).toBe(0);
  });

  describe('with real projection runners', () => {
    let store: EventStore;
    beforeAll(() => {
      store = createPostgresEventStore({ connectionString: db.url });
    });
    afterAll(async () => {
      await store.close();
    });

    it('keeps every read model exact while a cut-off process’s projections move, and status names the owner', async () => {
      const projections = ['lease_tally_a', 'lease_tally_b', 'lease_tally_c'].map(tally);
      const works = (pool: Knex) => projections.map((p) => projectionWork({ knex: pool, store, batchSize: 50 }, p));
      const first = keeper('r1', () => []);
      const second = keeper('r2', () => []);
      // The keepers were built before their pools were known to the works: rebuild them with works on their own pool.
      keepers.splice(0);
      // Real runners take hundreds of milliseconds to start and stop on a busy machine (load 20 on 2
      // cores): at the 150/450 ms pace the moved projections stalled there for 20 s, retrying after
      // CheckpointMoved. The production ratio (TTL three heartbeats) at a pace real runners keep.
      const timing = { heartbeatMs: 500, ttlMs: 1_500 };
      const k1 = new LeaseKeeper({ knex: first.pool, works: works(first.pool), holder: first.keeper.holder, ...timing });
      const k2 = new LeaseKeeper({ knex: second.pool, works: works(second.pool), holder: second.keeper.holder, ...timing });
      keepers.push(k1, k2);
      await Promise.all([k1.start(), k2.start()]);
      await until(() => k1.owned().length + k2.owned().length === 3 && k1.owned().length > 0, () => JSON.stringify([k1.owned(), k2.owned()]));

      const stream = `tally-${randomUUID()}`;
      await store.appendToStream(stream, Array.from({ length: 200 }, () => countedEvent('Counted')), { expectedRevision: 'any' });
      await cutOff(first.pool, 'r1');
      const more = `tally-${randomUUID()}`;
      await store.appendToStream(more, Array.from({ length: 300 }, () => countedEvent('Counted')), { expectedRevision: 'any' });
      await until(() => k2.owned().length === 3, () => JSON.stringify(k2.owned()), 30_000);

      const head = await store.headPosition();
      let last: unknown;
      await until(async () => {
        const statuses = await projectionStatusesWithOwners(db.knex, projections, head, 'postgres');
        last = statuses;
        return statuses.every((s) => s.active?.position === head.toString());
      }, () => `the projections did not catch up to ${head}: ${JSON.stringify(last)}`, 60_000);
      const statuses = await projectionStatusesWithOwners(db.knex, projections, head, 'postgres');
      for (const status of statuses) expect(status.owner).toMatchObject({ id: k2.holder, expired: false });
      for (const p of projections) {
        const rows = await db.knex(`${p.name}_counts`).orderBy('stream_id').select('stream_id', 'n');
        expect(rows).toEqual([{ stream_id: stream, n: 200 }, { stream_id: more, n: 300 }].sort((x, y) => x.stream_id.localeCompare(y.stream_id)));
      }
    }, 120_000);

    it('starts no second batch of a projection whose lease was lost mid-batch and came straight back, until that batch’s transaction ended', async () => {
      const name = 'lease_gated';
      const gateKey = 421_022;
      const entered: string[] = [];
      const warnings: string[] = [];
      const logger: RunnerLogger = { log: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
      const { keeper: k } = keeper('gated', (_holder, pool) => [projectionWork({ knex: pool, store, batchSize: 1_000, logger }, gatedTally(name, gateKey, 'run', entered))], {
        heartbeatMs: 200,
        ttlMs: 600,
        logger,
      });
      await k.start();
      await until(() => k.owned().includes(name), () => JSON.stringify(k.owned()));
      const lease = () => db.knex('projection_leases').where({ projection: name });
      const beats = async () => String((await db.knex('projector_members').where({ member: k.holder }).first('heartbeat_at'))?.heartbeat_at);

      const stream = `gated-${randomUUID()}`;
      const gate = await closeGate(db.knex, gateKey);
      let gateOpen = false;
      try {
        await store.appendToStream(stream, Array.from({ length: 30 }, () => countedEvent('Gated')), { expectedRevision: 'any' });
        // The batch is open in its transaction and waits at the gate.
        await until(() => entered.length === 1, () => `no batch started: ${JSON.stringify(entered)}`);
        // Lost: the keeper's renewal answers that someone else holds it, and it stops the run...
        await lease().update({ owner: 'test:ghost', expires_at: db.knex.raw(`now() + interval '1 minute'`) });
        await until(() => warnings.some((w) => w.includes(`lease on ${name} was lost`)), () => JSON.stringify(warnings));
        // ...then free again at once, for the keeper to take at its next heartbeat.
        await lease().update({ owner: null, expires_at: db.knex.raw(`'-infinity'`) });
        const seen = new Set<string>();
        await until(
          async () => {
            seen.add(await beats());
            return seen.size >= 6;
          },
          () => `the keeper stopped beating: ${seen.size} heartbeats`,
        );
        // Five heartbeats at which the keeper could take the lease: it did not, and no run of it
        // started a batch beside the one still open.
        expect(entered).toEqual(['run']);
        expect((await lease().first('owner'))?.owner).toBeNull();
        gateOpen = true;
        await gate.open();
      } finally {
        if (!gateOpen) await gate.open();
      }

      await until(() => k.owned().includes(name), () => `never taken back: ${JSON.stringify(k.owned())}`);
      const head = await store.headPosition();
      await until(
        async () => String((await db.knex('projection_checkpoints').where({ projection: name, state: 'active' }).first('position'))?.position) === head.toString(),
        () => `${name} did not reach ${head}`,
      );
      expect(await db.knex(`${name}_counts`).select('stream_id', 'n')).toEqual([{ stream_id: stream, n: 30 }]);
      expect(warnings.filter((w) => w.includes('moved by another runner'))).toEqual([]);
    }, 60_000);
  });
});
