import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitForPosition } from '@mpp/projection-runner';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

describe('DELETE /api/builds/:id and the totals of "my builds"', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let owner: SignedIn;
  let other: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const as = (who: SignedIn, req: request.Test) => req.set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken);
  const create = async (body: object) => (await as(owner, http().post('/api/builds')).send(body).expect(201)).body as { id: string; revision: number; position: number };
  const remove = (id: string, ifMatch: string | undefined, who = owner) => {
    const req = as(who, http().delete(`/api/builds/${id}`));
    return ifMatch === undefined ? req : req.set('If-Match', ifMatch);
  };
  const buildEvents = (id: string) => api.db.knex('events').where({ stream_id: `build-${id}` }).orderBy('revision');
  const caughtUp = (position: number) => waitForPosition(api.db.knex, ['builds', 'prices', 'catalog'], BigInt(position), 10_000);

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    owner = await signIn(api.app, 'owner@example.com');
    other = await signIn(api.app, 'other@example.com');
    const admin = await signIn(api.app, 'admin@example.com', 'admin');
    const price = (partId: string, priceCents: number, currency: string) =>
      as(admin, http().post('/api/admin/prices'))
        .send({ partId, retailerId: IDS.revzilla, priceCents, currency, inStock: true, url: 'https://www.revzilla.com/p', observedAt: new Date().toISOString() })
        .expect(201);
    await price(IDS.exhaust, 89_900, 'USD');
    const last = await price(IDS.pads, 3_999, 'EUR');
    await caughtUp(last.body.position);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('lets the owner delete a build at its current revision; the build then answers 404', async () => {
    const build = await create({ name: 'Short-lived', bikeId: IDS.mt07_2021, visibility: 'public' });
    const res = await remove(build.id, '"1"').expect(200);
    expect(res.body).toEqual({ id: build.id, position: expect.any(Number) });
    expect((await buildEvents(build.id)).map((event: { type: string }) => event.type)).toEqual(['BuildCreated', 'BuildDeleted']);
    await http().get(`/api/builds/${build.id}`).set('X-Min-Position', String(res.body.position)).expect(404);
  });

  it('appends nothing when the same deletion is retried', async () => {
    const build = await create({ name: 'Twice', bikeId: IDS.mt07_2021 });
    await remove(build.id, '1').expect(200);
    await remove(build.id, '1').expect(200);
    expect(await buildEvents(build.id)).toHaveLength(2);
  });

  it('refuses someone else (403), a missing If-Match (428) and a stale one (412), deleting nothing', async () => {
    const build = await create({ name: 'Keep me', bikeId: IDS.mt07_2021 });
    await as(owner, http().put(`/api/builds/${build.id}`)).set('If-Match', '1').send({ name: 'Keep me v2' }).expect(200);
    await remove(build.id, '2', other).expect(403);
    await remove(build.id, undefined).expect(428);
    await remove(build.id, '1').expect(412);
    expect((await buildEvents(build.id)).map((event: { type: string }) => event.type)).toEqual(['BuildCreated', 'BuildUpdated']);
  });

  it('asks an anonymous rider to sign in and names a malformed id', async () => {
    await http().delete(`/api/builds/${IDS.exhaust}`).set('If-Match', '1').expect(401);
    const res = await remove('not-a-uuid', '1');
    expect(res.status).toBe(400);
  });

  it('totals a build in the region\'s currency alone, naming the lines priced only in another', async () => {
    const build = await create({
      name: 'Two currencies',
      bikeId: IDS.mt07_2021,
      parts: [
        { partId: IDS.exhaust, quantity: 1 },
        { partId: IDS.pads, quantity: 2 },
      ],
    });
    await caughtUp(build.position);
    const mine = (region: string) => as(owner, http().get(`/api/builds?region=${region}`)).set('X-Min-Position', String(build.position)).expect(200);
    const inUs = (await mine('US')).body.items.find((item: { id: string }) => item.id === build.id);
    expect(inUs).toMatchObject({ region: 'US', totalPriceCents: 89_900, currency: 'USD', totals: [{ amountCents: 89_900, currency: 'USD' }], unpricedPartCount: 1 });
    const inDe = (await mine('DE')).body.items.find((item: { id: string }) => item.id === build.id);
    expect(inDe).toMatchObject({ region: 'DE', totalPriceCents: 7_998, currency: 'EUR', totals: [{ amountCents: 7_998, currency: 'EUR' }], unpricedPartCount: 1 });

    const sheet = (await as(owner, http().get(`/api/builds/${build.id}?region=DE`)).expect(200)).body;
    expect(sheet).toMatchObject({ totalPriceCents: 7_998, currency: 'EUR', unpricedPartIds: [IDS.exhaust] });
    const [exhaust, pads] = sheet.parts;
    expect(exhaust.bestPrice).toBeNull();
    expect(exhaust.otherPrices).toEqual([expect.objectContaining({ priceCents: 89_900, currency: 'USD' })]);
    expect(pads.bestPrice).toMatchObject({ priceCents: 3_999, currency: 'EUR' });
    expect(pads.otherPrices).toEqual([]);
    await as(owner, http().get(`/api/builds/${build.id}?region=XX`)).expect(400);
  });
});
