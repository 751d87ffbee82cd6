import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { awayFromRateLimitWindowEnd } from '../../testing/rate-limit-window.js';

const FRIEND = 'friend.of.owner@example.com';

describe('POST /api/builds/:id/share', () => {
  let api: ApiUnderTest;
  let owner: SignedIn;
  let buildId: string;
  const http = () => request(api.app.getHttpServer());
  const share = (id: string, who: SignedIn, body: object) => http().post(`/api/builds/${id}/share`).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);
  const sharedMails = () => api.db.knex('email_outbox').where({ kind: 'build-shared' }).select('to_user_id', 'to_email_encrypted', 'data', 'dedupe_key');

  beforeAll(async () => {
    api = await startApiUnderTest();
    await importSmallCatalog(api.app);
    owner = await signIn(api.app, 'build.owner@example.com');
    const created = await http()
      .post('/api/builds')
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrfToken)
      .send({ name: 'Track day MT-07', bikeId: IDS.mt07_2021, visibility: 'unlisted', parts: [{ partId: IDS.pads, quantity: 1 }] })
      .expect(201);
    buildId = created.body.id;
  });
  afterAll(() => api.close());

  it("queues a build-shared mail to the address, kept encrypted, naming the sharer by id", async () => {
    await share(buildId, owner, { email: FRIEND }).expect(202);
    const mails = await sharedMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to_user_id: null, data: { buildId, buildName: 'Track day MT-07', sharedByUserId: owner.userId } });
    expect(JSON.stringify(mails)).not.toContain(FRIEND);
    expect(mails[0].to_email_encrypted).toEqual(expect.any(String));

    // Rendered for the developer: addressed to the friend, the sharer named by display name.
    const mailbox = await http().get('/api/dev/mailbox').expect(200);
    const mail = mailbox.body.items.find((m: { kind: string }) => m.kind === 'build-shared');
    expect(mail).toMatchObject({ to: FRIEND, subject: 'A rider shared a motorcycle build with you: Track day MT-07' });
    expect(mail.text).toContain('build.owner shared the build "Track day MT-07" with you.');
    expect(mail.text).toContain(`/builds/${buildId}`);
  });

  it('sends the same build to the same address once a day', async () => {
    await share(buildId, owner, { email: FRIEND.toUpperCase() }).expect(202);
    expect(await sharedMails()).toHaveLength(1);
  });

  it("refuses someone else's build (403), an unknown one (404), a private one (409) and a bad address (400)", async () => {
    const stranger = await signIn(api.app, 'stranger@example.com');
    await share(buildId, stranger, { email: FRIEND }).expect(403);
    await share(randomUUID(), owner, { email: FRIEND }).expect(404);
    const invalid = await share(buildId, owner, { email: 'not-an-address' }).expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(['email']);
    await share('not-a-uuid', owner, { email: FRIEND }).expect(400);

    const secret = await http()
      .post('/api/builds')
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrfToken)
      .send({ name: 'Secret project', bikeId: IDS.mt07_2021, visibility: 'private' })
      .expect(201);
    const res = await share(secret.body.id, owner, { email: FRIEND }).expect(409);
    expect(res.body.detail).toMatch(/private/);
    expect(await sharedMails()).toHaveLength(1);
  });

  it('needs a session and the CSRF token', async () => {
    await http().post(`/api/builds/${buildId}/share`).send({ email: FRIEND }).expect(401);
    await http().post(`/api/builds/${buildId}/share`).set('Cookie', owner.cookie).send({ email: FRIEND }).expect(403);
  });
});

describe('POST /api/builds/:id/share under the strict rate limit', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest({ RATE_LIMIT_STRICT_PER_MINUTE: '2' });
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After past the strict limit', async () => {
    await importSmallCatalog(api.app);
    const owner = await signIn(api.app, 'busy.sharer@example.com');
    const created = await request(api.app.getHttpServer())
      .post('/api/builds')
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrfToken)
      .send({ name: 'Spam cannon', bikeId: IDS.mt07_2021, visibility: 'public' })
      .expect(201);
    const share = (n: number) =>
      request(api.app.getHttpServer())
        .post(`/api/builds/${created.body.id}/share`)
        .set('X-Forwarded-For', '198.51.100.77')
        .set('Cookie', owner.cookie)
        .set('X-CSRF-Token', owner.csrfToken)
        .send({ email: `friend${n}@example.com` });
    await awayFromRateLimitWindowEnd(api.db.knex);
    await share(1).expect(202);
    await share(2).expect(202);
    const limited = await share(3).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });
});
