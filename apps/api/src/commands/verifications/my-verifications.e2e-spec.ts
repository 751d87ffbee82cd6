import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

describe('GET /api/verifications/mine: the rows a rider may retract', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let rider: SignedIn;
  let stranger: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const mine = (who: SignedIn, position: number, partId = IDS.exhaust) =>
    http().get(`/api/verifications/mine?partId=${partId}`).set('Cookie', who.cookie).set('X-Min-Position', String(position));

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    rider = await signIn(api.app, 'rider@example.com');
    stranger = await signIn(api.app, 'stranger@example.com');
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('lists the rider’s own verification of the part, then shows it retracted after a retraction', async () => {
    const submitted = await http()
      .post('/api/verifications')
      .set('Cookie', rider.cookie)
      .set('X-CSRF-Token', rider.csrfToken)
      .send({ partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true })
      .expect(201);
    const before = await mine(rider, submitted.body.position).expect(200);
    expect(before.headers['cache-control']).toBe('private, no-store');
    expect(before.body.items).toEqual([{ verificationId: submitted.body.verificationId, bikeId: IDS.mt07_2021, lifecycle: 'active' }]);

    const retracted = await http()
      .post(`/api/verifications/${submitted.body.verificationId}/retract`)
      .set('Cookie', rider.cookie)
      .set('X-CSRF-Token', rider.csrfToken)
      .send({})
      .expect(200);
    const after = await mine(rider, retracted.body.position).expect(200);
    expect(after.body.items).toEqual([{ verificationId: submitted.body.verificationId, bikeId: IDS.mt07_2021, lifecycle: 'retracted' }]);
    expect((await mine(stranger, retracted.body.position).expect(200)).body.items).toEqual([]);
  });

  it('asks an anonymous rider to sign in and names a malformed partId', async () => {
    await http().get(`/api/verifications/mine?partId=${IDS.exhaust}`).expect(401);
    const res = await http().get('/api/verifications/mine?partId=nope').set('Cookie', rider.cookie).expect(400);
    expect(res.body.errors.map((error: { field: string }) => error.field)).toEqual(['partId']);
  });
});
