import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { loadConfig } from '@mpp/config';
import { createApiApp } from '../../create-api-app.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { IDS } from '../../testing/small-catalog.js';
import { awayFromRateLimitWindowEnd } from '../../testing/rate-limit-window.js';
import { rateLimitKey, userTracker } from './rate-limit-keys.js';
import { STRICT_THROTTLER } from './strict-rate-limit.decorator.js';

const click = { partId: '7d3c9a52-1f0e-4c1b-9b43-5a0e6f2d8c11', retailerId: '2b6e1f80-93c4-4d2a-8e7f-0c5b9a1d3e22' };

/** The API under test and a second API process over the same database. */
async function startTwoProcesses(env: Record<string, string>): Promise<{ api: ApiUnderTest; second: NestExpressApplication }> {
  const api = await startApiUnderTest(env);
  const second = await createApiApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }), databaseUrl: api.db.apiUrl });
  await second.init();
  return { api, second };
}

async function closeBoth(api: ApiUnderTest, second: NestExpressApplication): Promise<void> {
  await second.close();
  await api.close();
}

/** Finding 4: limits per user and per IP, counted in PostgreSQL, with X-Forwarded-For believed only from TRUSTED_PROXIES. */
describe('rate limits shared by every API process', () => {
  const env = { RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_STRICT_PER_MINUTE: '2' };
  let api: ApiUnderTest;
  let second: NestExpressApplication;
  beforeAll(async () => {
    ({ api, second } = await startTwoProcesses(env));
  });
  afterAll(() => closeBoth(api, second));

  it('counts one client across two API instances over one database', async () => {
    await awayFromRateLimitWindowEnd(api.db.knex);
    const from = (app: NestExpressApplication) => request(app.getHttpServer()).post('/api/affiliate/click').set('X-Forwarded-For', '198.51.100.40').send(click);
    for (let i = 0; i < 3; i += 1) await from(api.app).expect(204);
    for (let i = 0; i < 2; i += 1) await from(second).expect(204);
    await from(second).expect(429);
    await from(api.app).expect(429);
  });
});

describe('X-Forwarded-For from a peer that is not a trusted proxy', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    // Loopback (where supertest connects from) is not in the list: the header must be ignored.
    api = await startApiUnderTest({ RATE_LIMIT_PER_MINUTE: '5', TRUSTED_PROXIES: '192.0.2.250' });
  });
  afterAll(() => api.close());

  it('does not give the sender a fresh limit', async () => {
    await awayFromRateLimitWindowEnd(api.db.knex);
    const spoofed = (n: number) => request(api.app.getHttpServer()).post('/api/affiliate/click').set('X-Forwarded-For', `203.0.113.${n}`).send(click);
    for (let i = 0; i < 5; i += 1) await spoofed(i).expect(204);
    const res = await spoofed(99).expect(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('the strict limit on verification submissions', () => {
  let api: ApiUnderTest;
  const signInFrom = async (address: string, email: string) => {
    // 127.0.0.x is loopback, so the dev sign-in allows it, and a distinct address keeps sign-ins apart.
    const res = await request(api.app.getHttpServer()).post('/auth/dev-login').set('X-Forwarded-For', address).send({ email, displayName: 'Rider' }).expect(200);
    return { cookie: (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]!), csrfToken: res.body.csrfToken as string };
  };
  const submit = (rider: { cookie: string[]; csrfToken: string }, address: string, fits: boolean) =>
    request(api.app.getHttpServer())
      .post('/api/verifications')
      .set('Cookie', rider.cookie)
      .set('X-CSRF-Token', rider.csrfToken)
      .set('X-Forwarded-For', address)
      .send({ partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits });

  beforeAll(async () => {
    api = await startApiUnderTest({ RATE_LIMIT_STRICT_PER_MINUTE: '2' });
    await importSmallCatalog(api.app);
  });
  afterAll(() => api.close());

  it('holds each signed-in rider to it, wherever they send from, without touching another rider on the same address', async () => {
    const sam = await signInFrom('127.0.0.3', 'sam-strict@example.com');
    const kim = await signInFrom('127.0.0.4', 'kim-strict@example.com');
    await awayFromRateLimitWindowEnd(api.db.knex);
    await submit(sam, '198.51.100.50', true).expect(201);
    await submit(sam, '198.51.100.51', false).expect(201);
    await submit(sam, '198.51.100.52', true).expect(429);
    await submit(kim, '198.51.100.52', true).expect(201);
  });
});

/** A submission's strict hit is counted once, in PostgreSQL, whichever process it reaches. */
describe('the strict count across two API processes', () => {
  const env = { RATE_LIMIT_STRICT_PER_MINUTE: '3' };
  let api: ApiUnderTest;
  let second: NestExpressApplication;
  beforeAll(async () => {
    ({ api, second } = await startTwoProcesses(env));
    await importSmallCatalog(api.app);
  });
  afterAll(() => closeBoth(api, second));

  const signIn = async (email: string) => {
    const res = await request(api.app.getHttpServer()).post('/auth/dev-login').set('X-Forwarded-For', '127.0.0.5').send({ email, displayName: 'Rider' }).expect(200);
    return { id: res.body.id as string, cookie: (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]!), csrfToken: res.body.csrfToken as string };
  };
  const submit = (app: NestExpressApplication, rider: { cookie: string[]; csrfToken: string }, fits: boolean) =>
    request(app.getHttpServer()).post('/api/verifications').set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).send({ partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits });
  const strictHits = async (userId: string) =>
    Number((await api.db.knex('rate_limit_windows').where({ key: rateLimitKey(STRICT_THROTTLER, userTracker(userId)) }).sum({ n: 'hits' }))[0]!.n ?? 0);

  it('counts every submission once and holds the rider to the limit across two processes', async () => {
    const rider = await signIn('strict-count@example.com');
    await awayFromRateLimitWindowEnd(api.db.knex);
    await submit(api.app, rider, true).expect(201);
    await submit(second, rider, false).expect(201);
    await submit(api.app, rider, true).expect(201);
    expect(await strictHits(rider.id)).toBe(3);
    await submit(second, rider, false).expect(429);
    expect(await strictHits(rider.id)).toBe(4);
  });
});
