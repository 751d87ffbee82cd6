import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ConfigError } from '@mpp/config';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';

const SECRET = 's'.repeat(40);
const login = { email: 'dev@example.com', displayName: 'Dev' };

/** An address of this machine that is not loopback, for a request whose peer is not 127.0.0.1. */
const OWN_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/**
 * Finding 2: the dev sign-in (anyone becomes an admin) and the dev mailbox (everyone's mail) need
 * development mode *and* their own flag, and answer only requests from this machine.
 */
describe('development-only routes', () => {
  describe('with nothing said about the mode (production is the default)', () => {
    let api: ApiUnderTest;
    beforeAll(async () => {
      // An empty value counts as unset, so this is loadConfig with no NODE_ENV at all.
      api = await startApiUnderTest({ NODE_ENV: '', SESSION_SECRET: SECRET, AUTH_DEV_LOGIN: '1', DEV_MAILBOX: '1' });
    });
    afterAll(() => api.close());

    it('has neither the dev sign-in nor the dev mailbox, whatever the flags say', async () => {
      await request(api.app.getHttpServer()).post('/auth/dev-login').send(login).expect(404);
      await request(api.app.getHttpServer()).get('/api/dev/mailbox').expect(404);
    });
  });

  it('refuses to start the API in the default mode without SESSION_SECRET', async () => {
    const started = startApiUnderTest({ NODE_ENV: '' });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/SESSION_SECRET: required in production/);
  });

  describe('in development without the mailbox flag', () => {
    let api: ApiUnderTest;
    beforeAll(async () => {
      api = await startApiUnderTest({ NODE_ENV: 'development', DEV_MAILBOX: '', JOBS_ENABLED: '0' });
    });
    afterAll(() => api.close());

    it('has no dev mailbox', async () => {
      await request(api.app.getHttpServer()).get('/api/dev/mailbox').expect(404);
    });
  });

  describe('in development with both flags', () => {
    let api: ApiUnderTest;
    let port: number;
    beforeAll(async () => {
      api = await startApiUnderTest({ NODE_ENV: 'development', JOBS_ENABLED: '0' });
      await api.app.listen(0, '0.0.0.0');
      port = (api.app.getHttpServer().address() as AddressInfo).port;
    });
    afterAll(() => api.close());

    it('serves both to a request from this machine', async () => {
      await request(`http://127.0.0.1:${port}`).post('/auth/dev-login').send(login).expect(200);
      await request(`http://127.0.0.1:${port}`).get('/api/dev/mailbox').expect(200);
    });

    it('refuses both when a forwarded request names another client (the web proxy in front)', async () => {
      const res = await request(`http://127.0.0.1:${port}`).post('/auth/dev-login').set('X-Forwarded-For', '203.0.113.9').send(login).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      await request(`http://127.0.0.1:${port}`).get('/api/dev/mailbox').set('X-Forwarded-For', '127.0.0.1, 203.0.113.9').expect(403);
    });

    const fromOtherAddress = OWN_ADDRESS ? it : it.skip;
    if (!OWN_ADDRESS) process.stderr.write('dev-routes.e2e-spec: no non-loopback IPv4 interface here; skipping the non-loopback peer test\n');
    fromOtherAddress(`refuses both to a peer that is not loopback (${OWN_ADDRESS}), even one claiming X-Forwarded-For: 127.0.0.1`, async () => {
      const remote = `http://${OWN_ADDRESS}:${port}`;
      const res = await request(remote).post('/auth/dev-login').send(login).expect(403);
      expect(res.body.detail).toBe('This development route answers only requests from this machine.');
      await request(remote).post('/auth/dev-login').set('X-Forwarded-For', '127.0.0.1').send(login).expect(403);
      await request(remote).get('/api/dev/mailbox').expect(403);
    });
  });
});
