import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { awayFromRateLimitWindowEnd } from '../../testing/rate-limit-window.js';

describe('rate limits (lowered for this test)', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  beforeAll(async () => {
    api = await startApiUnderTest({ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_STRICT_PER_MINUTE: '2', STRIPE_WEBHOOK_SECRET: 'whsec_rate_limit_test' });
  });
  afterAll(() => api.close());

  const click = (ip: string) => http().post('/api/affiliate/click').set('X-Forwarded-For', ip).send({ partId: '7d3c9a52-1f0e-4c1b-9b43-5a0e6f2d8c11', retailerId: '2b6e1f80-93c4-4d2a-8e7f-0c5b9a1d3e22' });

  it('answers 429 problem+json with Retry-After once a client passes the global limit', async () => {
    await awayFromRateLimitWindowEnd(api.db.knex);
    for (let i = 0; i < 5; i += 1) await click('198.51.100.10').expect(204);
    const res = await click('198.51.100.10').expect(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts each client on its own', async () => {
    await click('198.51.100.11').expect(204);
  });

  it('holds sign-in to the stricter limit', async () => {
    await awayFromRateLimitWindowEnd(api.db.knex);
    // The dev sign-in answers only loopback callers with no other client forwarded: 127.0.0.1's own bucket.
    const login = () => http().post('/auth/dev-login').send({ email: 'many@example.com', displayName: 'Many' });
    await login().expect(200);
    await login().expect(200);
    const res = await login().expect(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('never throttles health probes or Stripe webhooks', async () => {
    // In one window, 8 hits pass the limit of 5: split across two, they would not, and this could not fail.
    await awayFromRateLimitWindowEnd(api.db.knex);
    for (let i = 0; i < 8; i += 1) await http().get('/health').set('X-Forwarded-For', '198.51.100.13').expect(200);
    // Stripe retries on its own schedule; a 429 would only delay plan changes. Unsigned, so 400 each time.
    for (let i = 0; i < 8; i += 1) await http().post('/api/webhooks/stripe').set('X-Forwarded-For', '198.51.100.13').set('Content-Type', 'application/json').send('{}').expect(400);
  });
});

describe('rate limits under NODE_ENV=test defaults', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api.close());

  it('lets the tests of other features sign in as often as they like', async () => {
    for (let i = 0; i < 30; i += 1) {
      await request(api.app.getHttpServer()).post('/auth/dev-login').send({ email: `burst${i}@example.com`, displayName: 'Burst' }).expect(200);
    }
  });
});
