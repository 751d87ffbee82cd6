import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { loadConfig } from '@mpp/config';
import { createKnex, migrateToLatest, type Knex } from '@mpp/db';
import { waitForPosition } from '@mpp/projection-runner';
import { startStreamingReplica, type StreamingReplica } from '@mpp/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { ProjectionRunner } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, BIKES, verificationLogProjection } from '@mpp/projections';
import { createApiApp } from '../../create-api-app.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { IDS } from '../../testing/small-catalog.js';
import { signIn } from '../../testing/sign-in.js';
import { PartVerificationsQuery } from '../../queries/parts/part-verifications.query.js';
import { ReadRouting, readDatabase } from './read-database.js';
import { ReadReplicaRotation } from './read-replica-rotation.js';

const DATABASE = 'replica_test';
const isStandby = async (knex: Knex) => (await knex.raw<{ rows: { standby: boolean }[] }>('SELECT pg_is_in_recovery() AS standby')).rows[0]!.standby;

/** Moves one projection's serving checkpoint on the primary, as the projector would with a batch. */
async function advanceCheckpoint(primary: Knex, position: number): Promise<void> {
  await primary('projection_checkpoints').where({ projection: 'catalog', state: 'active' }).update({ position });
}

/**
 * DESIGN §10 "Scale-out": DATABASE_READ_URL sends queries to a streaming replica (a real primary and
 * hot standby here, see startStreamingReplica); read-your-writes waits on the replica's own
 * checkpoints; a replica that lags beyond the bound goes out of rotation and /ready says why.
 */
describe('read replica', () => {
  let cluster: StreamingReplica;
  let primary: Knex;
  let replica: Knex;

  beforeAll(async () => {
    cluster = await startStreamingReplica();
    await cluster.createDatabase(DATABASE);
    primary = createKnex(cluster.primaryUrl(DATABASE), { applicationName: 'replica-test-primary' });
    replica = createKnex(cluster.replicaUrl(DATABASE), { applicationName: 'replica-test-replica' });
    await migrateToLatest(primary);
    await primary('projection_checkpoints').insert({ projection: 'catalog', generation: 1, version: 1, schema_name: 'rm_catalog_g1', state: 'active', position: 10 });
    await cluster.caughtUp();
  }, 120_000);

  afterAll(async () => {
    await replica?.destroy();
    await primary?.destroy();
    await cluster?.stop();
  });

  it('serves queries from the replica while it keeps up, and waits for X-Min-Position on the replica’s own checkpoints', async () => {
    const rotation = new ReadReplicaRotation(replica, 60_000);
    const reads = readDatabase(new ReadRouting(primary, rotation));
    expect(await isStandby(reads)).toBe(false);
    expect((await rotation.check()).inRotation).toBe(true);
    expect(await isStandby(reads)).toBe(true);
    expect(await reads('projection_checkpoints').where({ projection: 'catalog' }).first()).toMatchObject({ position: 10 });

    await replica.raw('SELECT pg_wal_replay_pause()');
    try {
      await advanceCheckpoint(primary, 20);
      // The primary has reached 20; the replica, not replaying, has not: the wait must say so.
      expect(await waitForPosition(primary, ['catalog'], 20n, 50)).toBe(true);
      expect(await waitForPosition(reads, ['catalog'], 20n, 300)).toBe(false);
    } finally {
      await replica.raw('SELECT pg_wal_replay_resume()');
    }
    expect(await waitForPosition(reads, ['catalog'], 20n, 10_000)).toBe(true);
    expect(await isStandby(reads)).toBe(true);
  });

  it('takes a replica whose replay lags beyond the bound out of rotation, sends queries to the primary, and brings it back once caught up', async () => {
    const rotation = new ReadReplicaRotation(replica, 300);
    const reads = readDatabase(new ReadRouting(primary, rotation));
    expect((await rotation.check()).inRotation).toBe(true);
    await replica.raw('SELECT pg_wal_replay_pause()');
    try {
      await advanceCheckpoint(primary, 30);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const state = await rotation.check();
      expect(state).toMatchObject({ inRotation: false });
      expect(state.reason).toMatch(/replays \d+ ms behind the primary \(bound 300 ms\); replay is paused/);
      expect(await isStandby(reads)).toBe(false);
      expect(await waitForPosition(reads, ['catalog'], 30n, 50)).toBe(true);
    } finally {
      await replica.raw('SELECT pg_wal_replay_resume()');
    }
    await cluster.caughtUp();
    expect(await rotation.check()).toMatchObject({ inRotation: true, reason: null });
    expect(await isStandby(reads)).toBe(true);
  });

  describe('the API with DATABASE_READ_URL', () => {
    let app: INestApplication;
    beforeAll(async () => {
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_READ_URL: cluster.replicaUrl(DATABASE),
        READ_REPLICA_MAX_LAG_MS: '300',
      });
      app = await createApiApp({ config, databaseUrl: cluster.primaryUrl(DATABASE) });
      await app.init();
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    it('is not ready (503, with the reason) while the replica lags beyond the bound, and ready again once it caught up; queries go to the primary meanwhile', async () => {
      const ready = await request(app.getHttpServer()).get('/ready').expect(200);
      expect(ready.body.info.readReplica).toMatchObject({ status: 'up', inRotation: true, serving: 'replica' });

      await replica.raw('SELECT pg_wal_replay_pause()');
      let notReady: request.Response | undefined;
      try {
        await advanceCheckpoint(primary, 40);
        const deadline = Date.now() + 15_000;
        do {
          await new Promise((resolve) => setTimeout(resolve, 200));
          notReady = await request(app.getHttpServer()).get('/ready');
        } while (notReady.status === 200 && Date.now() < deadline);
      } finally {
        await replica.raw('SELECT pg_wal_replay_resume()');
      }
      expect(notReady!.status).toBe(503);
      expect(notReady!.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(notReady!.body.detail).toMatch(/readReplica/);
      expect(notReady!.body.details.readReplica).toMatchObject({ status: 'down', inRotation: false, serving: 'primary' });
      expect(notReady!.body.details.readReplica.reason).toMatch(/replays \d+ ms behind the primary \(bound 300 ms\); replay is paused/);
      expect(notReady!.body.details.database).toMatchObject({ status: 'up' });

      await cluster.caughtUp();
      const deadline = Date.now() + 15_000;
      let back: request.Response;
      do {
        await new Promise((resolve) => setTimeout(resolve, 200));
        back = await request(app.getHttpServer()).get('/ready');
      } while (back.status !== 200 && Date.now() < deadline);
      expect(back.status).toBe(200);
      expect(back.body.info.readReplica).toMatchObject({ inRotation: true, serving: 'replica', reason: null });
    }, 40_000);
  });

  /**
   * The catalog query handlers read through READ_DB: with replay paused (and a bound wide enough to
   * keep the replica in rotation), a bike the primary's read model already has is not found through
   * the API, and X-Min-Position waits on the replica's checkpoints and says it is not consistent;
   * once replay resumes the same request finds it, consistent.
   */
  describe('catalog reads with DATABASE_READ_URL', () => {
    const READS = 'replica_reads';
    let app: NestExpressApplication;
    let readsPrimary: Knex;
    let readsReplica: Knex;
    let store: EventStore;
    let runner: ProjectionRunner;

    beforeAll(async () => {
      await cluster.createDatabase(READS);
      readsPrimary = createKnex(cluster.primaryUrl(READS), { applicationName: 'replica-test-primary' });
      readsReplica = createKnex(cluster.replicaUrl(READS), { applicationName: 'replica-test-replica' });
      await migrateToLatest(readsPrimary);
      store = createPostgresEventStore({ connectionString: cluster.primaryUrl(READS), applicationName: 'replica-test-projector' });
      runner = new ProjectionRunner({ knex: readsPrimary, store, projections: ALL_PROJECTIONS });
      await runner.start();
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_DEV_LOGIN: '1', DATABASE_READ_URL: cluster.replicaUrl(READS), READ_REPLICA_MAX_LAG_MS: '600000' });
      app = (await createApiApp({ config, databaseUrl: cluster.primaryUrl(READS) })) as NestExpressApplication;
      await app.init();
      // The read-model schemas the projector created must be on the replica before replay pauses.
      await cluster.caughtUp();
    }, 90_000);

    afterAll(async () => {
      await app?.close();
      await runner?.stop();
      await store?.close();
      await readsReplica?.destroy();
      await readsPrimary?.destroy();
    });

    it('serves a catalog read from the replica and honours X-Min-Position there', async () => {
      // Not a route of the answer cache (those fill the cache from the primary, whose notices evict
      // it): a part's price history, a 404 while the part is not on the replica yet.
      const history = `/api/prices/${IDS.exhaust}/history`;
      await readsReplica.raw('SELECT pg_wal_replay_pause()');
      let paused: request.Response;
      try {
        const position = await importSmallCatalog(app);
        expect(await waitForPosition(readsPrimary, ['catalog'], BigInt(position), 30_000)).toBe(true);
        expect(await readsPrimary(BIKES).where({ id: IDS.mt07_2021 }).first('id')).toBeDefined();
        paused = await request(app.getHttpServer()).get(history).set('X-Min-Position', String(position));
        expect((await request(app.getHttpServer()).get('/ready').expect(200)).body.info.readReplica).toMatchObject({ inRotation: true, serving: 'replica' });
      } finally {
        await readsReplica.raw('SELECT pg_wal_replay_resume()');
      }
      expect(paused.status).toBe(404);
      expect(paused.headers['x-consistent']).toBe('false');

      await cluster.caughtUp();
      const position = Number((await readsPrimary('events').max({ p: 'position' }))[0]!.p);
      const resumed = await request(app.getHttpServer()).get(history).set('X-Min-Position', String(position)).expect(200);
      expect(resumed.headers['x-consistent']).toBe('true');
      expect(resumed.body).toMatchObject({ items: expect.any(Array) });
    }, 60_000);

    it("names a trail's riders on the database its rows were read from", async () => {
      const rider = await signIn(app, 'replica-rider@example.com');
      const submitted = await request(app.getHttpServer())
        .post('/api/verifications')
        .set('Cookie', rider.cookie)
        .set('X-CSRF-Token', rider.csrfToken)
        .send({ partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true })
        .expect(201);
      // On the replica's own checkpoints (its rows commit with them): the projector may commit
      // asynchronously, so the primary's WAL position read just after is no proof of replay.
      expect(await waitForPosition(readsReplica, [verificationLogProjection.name], BigInt(submitted.body.position), 30_000)).toBe(true);
      // The rider renamed on the primary only: the replica, which serves the query, still has the old name.
      await readsReplica.raw('SELECT pg_wal_replay_pause()');
      let trail: { items: { contributor: { displayName: string } }[] };
      try {
        await readsPrimary('users').where({ id: rider.userId }).update({ display_name: 'Renamed on the primary' });
        // The handler as a query (the HTTP route's answer cache pins its reads to the primary).
        trail = (await app.get(QueryBus).execute(new PartVerificationsQuery(IDS.exhaust, IDS.mt07_2021))).body;
      } finally {
        await readsReplica.raw('SELECT pg_wal_replay_resume()');
      }
      expect(trail.items.map((item) => item.contributor.displayName)).toEqual(['replica-rider']);
    }, 60_000);
  });
});
