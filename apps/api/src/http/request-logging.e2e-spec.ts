import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { importSmallCatalog } from '../testing/catalog-fixture.js';
import { signIn } from '../testing/sign-in.js';
import { IDS } from '../testing/small-catalog.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../testing/projector-under-test.js';

describe('request logs', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });

  beforeAll(async () => {
    api = await startApiUnderTest({ LOG_LEVEL: 'info' }, { logDestination: sink });
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    const rider = await signIn(api.app, 'private.person@example.com');
    await request(api.app.getHttpServer())
      .post('/api/verifications?email=private.person@example.com')
      .set('Cookie', rider.cookie)
      .set('X-CSRF-Token', rider.csrfToken)
      .set('Authorization', 'Bearer secret-token')
      .send({ partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true, notes: 'my name is Private Person' })
      .expect(201);
    await request(api.app.getHttpServer()).get(`/api/bikes/nope?q=private.person@example.com`).expect(404);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('writes one JSON line per request with level, msg, route, status, duration and user id', () => {
    const submitted = lines.find((l) => (l.req as { path?: string } | undefined)?.path === '/api/verifications');
    expect(submitted).toMatchObject({
      level: 30,
      msg: 'request completed',
      route: '/api/verifications',
      status: 201,
      userId: expect.any(String),
      duration_ms: expect.any(Number),
    });
  });

  it('never logs an email, a name from a body, a cookie, a token or a query string', () => {
    const text = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of ['private.person', 'Private Person', 'mpp_session', 'secret-token', 'csrf=']) expect(text).not.toContain(secret);
  });
});
