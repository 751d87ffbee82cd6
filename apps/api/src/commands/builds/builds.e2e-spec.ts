import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { openedStreamEvents } from '../../testing/opened-stream-events.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

describe('build commands', () => {
  let api: ApiUnderTest;
  let owner: SignedIn;
  let other: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const create = (body: object, who = owner) => http().post('/api/builds').set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);
  const update = (id: string, body: object, ifMatch: string | undefined, who = owner) => {
    const req = http().put(`/api/builds/${id}`).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken);
    return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
  };
  const buildEvents = (id: string) => openedStreamEvents(api.db.knex, `build-${id}`);

  beforeAll(async () => {
    api = await startApiUnderTest();
    await importSmallCatalog(api.app);
    owner = await signIn(api.app, 'owner@example.com');
    other = await signIn(api.app, 'other@example.com');
  });
  afterAll(() => api.close());

  it('asks an anonymous rider to sign in', async () => {
    await http().post('/api/builds').send({ name: 'x', bikeId: IDS.mt07_2021 }).expect(401);
  });

  it('creates a build and answers its id, revision and position, with an ETag', async () => {
    const res = await create({ name: 'Street MT', bikeId: IDS.mt07_2021, visibility: 'public' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), revision: 1, position: expect.any(Number) });
    expect(res.headers.etag).toBe('"1"');
    expect(await buildEvents(res.body.id)).toHaveLength(1);
  });

  it('creates a build with parts as revision 2', async () => {
    const res = await create({ name: 'Loud', bikeId: IDS.mt07_2021, parts: [{ partId: IDS.exhaust, quantity: 1 }] }).expect(201);
    expect(res.body.revision).toBe(2);
  });

  it('answers 404 for an unknown bike or part', async () => {
    await create({ name: 'Ghost', bikeId: '0b6e1e67-7e0b-4b5c-8c3f-1d8f2c9b7a11' }).expect(404);
    await create({ name: 'Ghost', bikeId: IDS.mt07_2021, parts: [{ partId: '0b6e1e67-7e0b-4b5c-8c3f-1d8f2c9b7a11', quantity: 1 }] }).expect(404);
  });

  it('names invalid fields', async () => {
    const res = await create({ name: '', bikeId: 'x', parts: [{ partId: IDS.pads, quantity: 0 }], visibility: 'friends' }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['bikeId', 'name', 'parts.0.quantity', 'visibility']);
  });

  it('lets only the owner change a build (403 for someone else)', async () => {
    const { body } = await create({ name: 'Mine', bikeId: IDS.mt07_2021 }).expect(201);
    await update(body.id, { name: 'Theirs now' }, '1', other).expect(403);
    expect(await buildEvents(body.id)).toHaveLength(1);
  });

  it('requires If-Match (428) and refuses a stale one (412) without losing the newer edit', async () => {
    const { body } = await create({ name: 'Tourer', bikeId: IDS.mt07_2021 }).expect(201);
    await update(body.id, { name: 'No precondition' }, undefined).expect(428);
    const first = await update(body.id, { name: 'Tourer v2' }, '"1"').expect(200);
    expect(first.body.revision).toBe(2);
    expect(first.headers.etag).toBe('"2"');
    const stale = await update(body.id, { name: 'Based on v1' }, '1').expect(412);
    expect(stale.body).toMatchObject({ status: 412, currentRevision: 2 });
    const events = await buildEvents(body.id);
    expect(events.at(-1)?.data.name).toBe('Tourer v2');
  });

  it('lets exactly one of 20 concurrent edits from one revision win', async () => {
    const { body } = await create({ name: 'Race', bikeId: IDS.mt07_2021 }).expect(201);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => update(body.id, { name: `Edit ${i}` }, '1')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409 || s === 412)).toHaveLength(19);
    const events = await buildEvents(body.id);
    expect(events).toHaveLength(2);
    const winner = responses.find((r) => r.status === 200)!;
    expect(events[1].data.name).toBe(`Edit ${responses.indexOf(winner)}`);
  });
});
