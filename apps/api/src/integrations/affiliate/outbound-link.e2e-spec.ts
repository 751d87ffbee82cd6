import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { waitForPosition } from '@mpp/projection-runner';

describe('GET /go/:partId/:retailerId', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  const clicks = async () => Number((await api.db.knex('affiliate_clicks').count<{ n: number }>('* as n').first())!.n);

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    const admin = await signIn(api.app, 'admin@example.com', 'admin');
    const res = await request(api.app.getHttpServer())
      .post('/api/admin/prices')
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ partId: IDS.exhaust, retailerId: IDS.revzilla, priceCents: 89_900, currency: 'USD', inStock: true, url: 'https://www.revzilla.com/motorcycle/akrapovic-slip-on', observedAt: new Date().toISOString() })
      .expect(201);
    await waitForPosition(api.db.knex, ['prices', 'catalog'], BigInt(res.body.position), 10_000);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('records the click and redirects to the recorded offer URL', async () => {
    const before = await clicks();
    const res = await request(api.app.getHttpServer()).get(`/go/${IDS.exhaust}/${IDS.revzilla}`).expect(302);
    expect(res.headers.location).toBe('https://www.revzilla.com/motorcycle/akrapovic-slip-on');
    expect(await clicks()).toBe(before + 1);
  });

  it('ignores any target the request tries to choose', async () => {
    const res = await request(api.app.getHttpServer()).get(`/go/${IDS.exhaust}/${IDS.revzilla}?url=https://evil.example&next=//evil.example`).expect(302);
    expect(new URL(res.headers.location).hostname).toBe('www.revzilla.com');
  });

  it('answers 404 when there is no offer, and records nothing', async () => {
    const before = await clicks();
    await request(api.app.getHttpServer()).get(`/go/${IDS.pads}/${IDS.revzilla}`).expect(404);
    expect(await clicks()).toBe(before);
  });

  it.each(['/go/..%2F..%2Fetc%2Fpasswd/x', '/go/not-a-uuid/also-not', `/go/${IDS.exhaust}/%2F%2Fevil.example`])('refuses %s without redirecting', async (path) => {
    const res = await request(api.app.getHttpServer()).get(path);
    expect([400, 404]).toContain(res.status);
    expect(res.headers.location).toBeUndefined();
  });
});
