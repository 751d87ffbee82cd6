import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { SHARE_MAILS_PER_DAY } from './outgoing-mail-cap.js';

/** "Share build" mails addresses we do not know: one rider sends at most SHARE_MAILS_PER_DAY a day. */
describe('the cap on share mails', () => {
  let api: ApiUnderTest;
  let owner: SignedIn;
  let other: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const as = (who: SignedIn, req: request.Test) => req.set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken);
  const createBuild = async (who: SignedIn) =>
    (await as(who, http().post('/api/builds')).send({ name: 'Shared', bikeId: IDS.mt07_2021, visibility: 'unlisted' }).expect(201)).body.id as string;

  beforeAll(async () => {
    api = await startApiUnderTest();
    await importSmallCatalog(api.app);
    owner = await signIn(api.app, 'sharer@example.com');
    other = await signIn(api.app, 'other-sharer@example.com');
  });
  afterAll(() => api.close());

  it('refuses the mail after the cap with 429 problem+json, and queues nothing more', async () => {
    const buildId = await createBuild(owner);
    for (let i = 0; i < SHARE_MAILS_PER_DAY; i++) {
      await as(owner, http().post(`/api/builds/${buildId}/share`)).send({ email: `friend${i}@example.com` }).expect(202);
    }
    const res = await as(owner, http().post(`/api/builds/${buildId}/share`)).send({ email: 'one-too-many@example.com' }).expect(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const queued = await api.db.knex('email_outbox').where({ kind: 'build-shared' }).whereRaw(`data->>'sharedByUserId' = ?`, [owner.userId]).count({ n: '*' });
    expect(Number(queued[0]!.n)).toBe(SHARE_MAILS_PER_DAY);
  });

  it('counts each rider on their own', async () => {
    const buildId = await createBuild(other);
    await as(other, http().post(`/api/builds/${buildId}/share`)).send({ email: 'friend0@example.com' }).expect(202);
  });
});
