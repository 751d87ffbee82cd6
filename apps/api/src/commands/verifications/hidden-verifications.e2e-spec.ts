import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

describe('GET /api/admin/verifications/hidden: the moderators’ list of hidden verifications', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let rider: SignedIn;
  let moderator: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const post = (path: string, who: SignedIn, body: object) => http().post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);
  const hidden = (query: string, position: number) =>
    http().get(`/api/admin/verifications/hidden${query}`).set('Cookie', moderator.cookie).set('X-Min-Position', String(position));

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    rider = await signIn(api.app, 'hidden-rider@example.com');
    moderator = await signIn(api.app, 'hidden-moderator@example.com', 'moderator');
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('lists what was hidden with its reason, moderator, part and bike, newest first and paged; a restored one leaves the list', async () => {
    const first = (await post('/api/verifications', rider, { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true }).expect(201)).body;
    const second = (await post('/api/verifications', rider, { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: false }).expect(201)).body;
    await post(`/api/admin/verifications/${first.verificationId}/moderate`, moderator, { action: 'hide', reason: 'spam link' }).expect(200);
    const hid = (await post(`/api/admin/verifications/${second.verificationId}/moderate`, moderator, { action: 'hide', reason: 'wrong bike' }).expect(200)).body;

    const all = await hidden('', hid.position).expect(200);
    expect(all.headers['cache-control']).toBe('private, no-store');
    expect(all.body).toMatchObject({ total: 2, page: 1, limit: 24 });
    expect(all.body.items.map((item: { verificationId: string }) => item.verificationId)).toEqual([second.verificationId, first.verificationId]);
    expect(all.body.items[0]).toMatchObject({
      fits: false,
      lifecycle: 'active',
      reason: 'wrong bike',
      contributor: { displayName: 'hidden-rider' },
      hiddenBy: { displayName: 'hidden-moderator' },
      part: { id: IDS.pads, category: 'brake-pads' },
      bike: { id: IDS.mt07_2022, year: 2022, make: 'Yamaha', model: 'MT-07' },
    });
    expect(Date.parse(all.body.items[0].hiddenAt)).toBeGreaterThanOrEqual(Date.parse(all.body.items[0].submittedAt));

    const secondPage = await hidden('?page=2&limit=1', hid.position).expect(200);
    expect(secondPage.body).toMatchObject({ total: 2, page: 2, limit: 1 });
    expect(secondPage.body.items.map((item: { reason: string }) => item.reason)).toEqual(['spam link']);

    const restored = (await post(`/api/admin/verifications/${first.verificationId}/moderate`, moderator, { action: 'restore', reason: 'was fine' }).expect(200)).body;
    const after = await hidden('', restored.position).expect(200);
    expect(after.body.total).toBe(1);
    expect(after.body.items.map((item: { verificationId: string }) => item.verificationId)).toEqual([second.verificationId]);
  });

  it('asks an anonymous caller to sign in, refuses a rider, and names a bad limit', async () => {
    const anonymous = await http().get('/api/admin/verifications/hidden').expect(401);
    const refused = await http().get('/api/admin/verifications/hidden').set('Cookie', rider.cookie).expect(403);
    for (const problem of [anonymous, refused]) {
      expect(problem.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(problem.body).toMatchObject({ status: problem.status, title: expect.any(String) });
      expect(problem.body.items).toBeUndefined();
    }
    const bad = await http().get('/api/admin/verifications/hidden?limit=0').set('Cookie', moderator.cookie).expect(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(['limit']);
  });
});
