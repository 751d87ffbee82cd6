import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex } from '@mpp/db';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { awayFromRateLimitWindowEnd } from '../../testing/rate-limit-window.js';
import { PostgresThrottlerStorage, SHARE_EVERY_MS } from './postgres-throttler-storage.js';

const MINUTE = 60_000;

/** Two storages over one database stand for two API processes. */
describe('PostgresThrottlerStorage', () => {
  let db: TestDatabase;
  let first: PostgresThrottlerStorage;
  let second: PostgresThrottlerStorage;
  const sharedHits = async (key: string) =>
    Number((await db.knex('rate_limit_windows').where({ key }).sum<{ hits: string | null }[]>('hits as hits'))[0]?.hits ?? 0);
  const until = async (check: () => Promise<boolean>) => {
    for (let waited = 0; waited < 20 * SHARE_EVERY_MS; waited += 50) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('condition not met within 20 sharing intervals');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    first = new PostgresThrottlerStorage(db.knex);
    second = new PostgresThrottlerStorage(db.knex);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await db.drop();
  });

  it('counts hits far below the limit in memory and adds them to the shared table within a sharing interval', async () => {
    await awayFromRateLimitWindowEnd(db.knex, 10_000, MINUTE);
    await first.increment('far', MINUTE, 100, 0, 'default');
    expect(await sharedHits('far')).toBe(1);
    for (let i = 0; i < 9; i += 1) expect(first.admitInMemory('far', MINUTE, 100)).toMatchObject({ totalHits: i + 2, isBlocked: false });
    expect(await sharedHits('far')).toBe(1);
    await until(async () => (await sharedHits('far')) === 10);
  });

  it('never admits more than the limit across two processes that take turns', async () => {
    await awayFromRateLimitWindowEnd(db.knex, 10_000, MINUTE);
    const admitted: boolean[] = [];
    for (let i = 0; i < 30; i += 1) {
      const storage = i % 2 === 0 ? first : second;
      admitted.push(!(await storage.increment('turns', MINUTE, 10, 0, 'default')).isBlocked);
    }
    expect(admitted.filter(Boolean)).toHaveLength(10);
    expect(admitted.slice(0, 10).every(Boolean)).toBe(true);
  });

  it('reads the client’s per-minute window with a strict hit, so the per-minute check after it is made in memory', async () => {
    await awayFromRateLimitWindowEnd(db.knex, 10_000, MINUTE);
    await second.increment('paired-default', MINUTE, 100, 0, 'default');
    first.pairWithDefault('paired-strict', 'paired-default');
    expect(first.admitInMemory('paired-default', MINUTE, 100)).toBeUndefined();
    await first.increment('paired-strict', MINUTE, 10, 0, 'strict');
    expect(first.admitInMemory('paired-default', MINUTE, 100)).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await sharedHits('paired-strict')).toBe(1);
    expect(await sharedHits('paired-default')).toBe(1);
  });

  it('decides a burst from a client not known here on one upsert, not one each', async () => {
    await awayFromRateLimitWindowEnd(db.knex, 10_000, MINUTE);
    const knex = createKnex(db.url, { applicationName: 'mpp-rate-limit-burst-test' });
    let upserts = 0;
    knex.on('query', (query: { sql: string }) => {
      if (query.sql.includes('INSERT INTO rate_limit_windows')) upserts += 1;
    });
    const third = new PostgresThrottlerStorage(knex);
    try {
      const burst = await Promise.all(Array.from({ length: 20 }, () => third.increment('burst', MINUTE, 1_000, 0, 'default')));
      expect(burst.every((record) => !record.isBlocked)).toBe(true);
      expect(new Set(burst.map((record) => record.totalHits)).size).toBe(20);
      expect(upserts).toBe(1);
      await until(async () => (await sharedHits('burst')) === 20);
    } finally {
      await third.close();
      await knex.destroy();
    }
  });

  it('counts the strict limit in the database on every hit', async () => {
    for (let i = 0; i < 3; i += 1) await first.increment('strict-key', MINUTE, 100, 0, 'strict');
    expect(first.admitInMemory('strict-key', MINUTE, 100)).toBeDefined();
    expect(await sharedHits('strict-key')).toBe(3);
  });
});
