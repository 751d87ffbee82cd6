import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@mpp/config';
import { createKnex, migrateToLatest, type Knex } from '@mpp/db';
import { waitForPosition } from '@mpp/projection-runner';
import { startStreamingReplica, type StreamingReplica } from '@mpp/testing';
import { createApiApp } from '../../create-api-app.js';
import { readDatabase } from './read-database.js';
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
    const reads = readDatabase(primary, rotation);
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
    const reads = readDatabase(primary, rotation);
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

    it('says on /ready that a lagging replica is out of rotation and why, while queries go to the primary', async () => {
      const ready = await request(app.getHttpServer()).get('/ready').expect(200);
      expect(ready.body.info.readReplica).toMatchObject({ status: 'up', inRotation: true, serving: 'replica' });

      await replica.raw('SELECT pg_wal_replay_pause()');
      try {
        await advanceCheckpoint(primary, 40);
        let body: { info: { readReplica: { inRotation: boolean; serving: string; reason: string } } } | undefined;
        const deadline = Date.now() + 15_000;
        do {
          await new Promise((resolve) => setTimeout(resolve, 200));
          body = (await request(app.getHttpServer()).get('/ready').expect(200)).body;
        } while (body!.info.readReplica.inRotation && Date.now() < deadline);
        expect(body!.info.readReplica).toMatchObject({ inRotation: false, serving: 'primary' });
        expect(body!.info.readReplica.reason).toMatch(/behind the primary \(bound 300 ms\)/);
      } finally {
        await replica.raw('SELECT pg_wal_replay_resume()');
      }
    }, 30_000);
  });
});
