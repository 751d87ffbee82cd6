import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { importSmallCatalog } from '../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../testing/sign-in.js';
import { IDS } from '../testing/small-catalog.js';

/**
 * Input no storage can hold used to fail deep inside as a 500: a lone UTF-16 surrogate (hashing and
 * PostgreSQL refuse it) and whole numbers beyond 2^53 (PostgreSQL bigint overflow). Each is a 400
 * problem+json naming the field.
 */
describe('unrepresentable input', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let rider: SignedIn;
  let position: number;
  const http = () => request(api.app.getHttpServer());
  const postJson = (path: string, json: string) =>
    http().post(path).set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).set('Content-Type', 'application/json').send(json);
  const expectFieldProblem = (res: request.Response, field: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  };

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    position = await importSmallCatalog(api.app);
    rider = await signIn(api.app, 'surrogate@example.com');
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('refuses a lone surrogate in a verification note', async () => {
    const res = await postJson('/api/verifications', `{"partId":"${IDS.exhaust}","bikeId":"${IDS.mt07_2021}","fits":true,"notes":"fits \\ud800 well"}`);
    expectFieldProblem(res, 'body.notes');
    expect(res.body.errors[0].message).toMatch(/lone UTF-16 surrogate/);
  });

  it('refuses a lone low surrogate in a build name, and one in a key', async () => {
    expectFieldProblem(await postJson('/api/builds', `{"name":"street \\udc00","bikeId":"${IDS.mt07_2021}"}`), 'body.name');
    expectFieldProblem(await postJson('/api/builds', `{"name":"ok","bikeId":"${IDS.mt07_2021}","\\ud83d":1}`), 'body');
  });

  it('accepts a well-formed pair (an emoji) in the same places', async () => {
    const res = await postJson('/api/builds', `{"name":"street \\ud83c\\udfcd","bikeId":"${IDS.mt07_2021}"}`);
    expect(res.status).toBe(201);
  });

  it.each([
    ['minPrice', '9223372036854775808'],
    ['maxPrice', '1e308'],
    ['minPrice', '9007199254740993'],
  ])('refuses %s=%s on bike parts and search', async (field, value) => {
    expectFieldProblem(await http().get(`/api/bikes/${IDS.mt07_2021}/parts?${field}=${value}`).set('X-Min-Position', String(position)), field);
    expectFieldProblem(await http().get(`/api/search?q=exhaust&${field}=${value}`), field);
  });

  it('still answers an in-range price filter', async () => {
    await http().get(`/api/bikes/${IDS.mt07_2021}/parts?minPrice=0&maxPrice=9007199254740991`).set('X-Min-Position', String(position)).expect(200);
  });
});
