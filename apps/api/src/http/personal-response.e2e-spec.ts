import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { importSmallCatalog } from '../testing/catalog-fixture.js';
import { signIn, type SignedIn } from '../testing/sign-in.js';
import { IDS } from '../testing/small-catalog.js';

/** Personal answers (the account with its CSRF token, the rider's builds) must not be kept by any shared cache. */
describe('Cache-Control on personal responses', () => {
  let api: ApiUnderTest;
  let rider: SignedIn;
  let buildId: string;
  const http = () => request(api.app.getHttpServer());
  const as = (req: request.Test) => req.set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken);

  beforeAll(async () => {
    api = await startApiUnderTest();
    await importSmallCatalog(api.app);
    rider = await signIn(api.app, 'cache@example.com');
    const created = await as(http().post('/api/builds')).send({ name: 'Private one', bikeId: IDS.mt07_2021, visibility: 'private' }).expect(201);
    expect(created.headers['cache-control']).toBe('private, no-store');
    buildId = created.body.id;
  });
  afterAll(() => api.close());

  it('marks the dev sign-in answer, /api/me and the rider builds private, no-store', async () => {
    const login = await http().post('/auth/dev-login').send({ email: 'cache2@example.com', displayName: 'Cache' }).expect(200);
    expect(login.headers['cache-control']).toBe('private, no-store');
    for (const path of ['/api/me', '/api/builds', `/api/builds/${buildId}`, '/api/alerts']) {
      // Set before the handler, so it holds whatever the answer (read models are not projected here).
      const res = await as(http().get(path));
      expect([path, res.headers['cache-control']]).toEqual([path, 'private, no-store']);
    }
  });

  it('leaves answers that are nobody in particular alone', async () => {
    const res = await http().get('/health').expect(200);
    expect(res.headers['cache-control']).not.toBe('private, no-store');
  });
});
