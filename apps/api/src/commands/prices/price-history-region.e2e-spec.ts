import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { IDS } from '../../testing/small-catalog.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn } from '../../testing/sign-in.js';
import { waitForPosition } from '@mpp/projection-runner';

describe('GET /api/prices/:partId/history?region', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  const history = (query: string) => request(api.app.getHttpServer()).get(`/api/prices/${IDS.exhaust}/history?${query}`);

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    const admin = await signIn(api.app, 'admin@example.com', 'admin');
    const res = await request(api.app.getHttpServer())
      .post('/api/admin/prices')
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ partId: IDS.exhaust, retailerId: IDS.revzilla, priceCents: 89_900, currency: 'USD', inStock: true, url: 'https://www.revzilla.com/p', observedAt: new Date().toISOString() })
      .expect(201);
    await waitForPosition(api.db.knex, ['prices', 'catalog'], BigInt(res.body.position), 10_000);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('takes the rider’s region, names its currency and keeps every point in its own currency', async () => {
    const withRegion = await history('days=30&region=GB').expect(200);
    const without = await history('days=30').expect(200);
    expect(withRegion.body).toMatchObject({ region: 'GB', currency: 'GBP', currencies: ['USD'] });
    expect(without.body).toMatchObject({ region: 'US', currency: 'USD', currencies: ['USD'] });
    expect(withRegion.body.items).toEqual(without.body.items);
    expect(withRegion.body.items).toEqual([expect.objectContaining({ retailerId: IDS.revzilla, priceCents: 89_900, currency: 'USD' })]);
  });

  it.each(['gb', 'GBR', 'G1', 'JP'])('refuses region=%s with a 400 naming the field', async (region) => {
    const res = await history(`region=${region}`).expect(400);
    expect(res.body.errors.map((error: { field: string }) => error.field)).toEqual(['region']);
  });
});
