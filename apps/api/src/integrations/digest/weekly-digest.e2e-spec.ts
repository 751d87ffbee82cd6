import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitForPosition } from '@mpp/projection-runner';
import { JobRegistry } from '../../operations/jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { isoWeekOf } from './iso-week.js';

describe('weekly digest', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let optedIn: SignedIn;
  let optedOut: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const send = (method: 'post' | 'put', path: string, who: SignedIn, body: object) => http()[method](path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);
  const digests = () => api.db.knex('email_outbox').where({ kind: 'weekly-digest' }).select('to_user_id', 'data', 'dedupe_key');

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    const admin = await signIn(api.app, 'digest-admin@example.com', 'admin');
    optedIn = await signIn(api.app, 'digest.reader@example.com');
    optedOut = await signIn(api.app, 'digest.skipper@example.com');
    await send('put', '/api/me/preferences', optedIn, { weeklyDigest: true }).expect(200);
    await send('put', '/api/me/preferences', optedOut, { weeklyDigest: false }).expect(200);
    for (const who of [optedIn, optedOut]) {
      await send('post', '/api/builds', who, { name: 'Commuter', bikeId: IDS.mt07_2021, parts: [{ partId: IDS.pads, quantity: 1 }] }).expect(201);
    }
    const price = (partId: string, priceCents: number, observedAt: Date) =>
      send('post', '/api/admin/prices', admin, { partId, retailerId: IDS.revzilla, priceCents, currency: 'USD', inStock: true, url: 'https://www.revzilla.com/p/x', observedAt: observedAt.toISOString() }).expect(201);
    // Pads: 50.00 ten days ago, 45.00 now (a drop this week); the exhaust is in nobody's build.
    await price(IDS.pads, 5_000, new Date(Date.now() - 10 * 86_400_000));
    await price(IDS.pads, 4_500, new Date(Date.now() - 60_000));
    await price(IDS.exhaust, 90_000, new Date(Date.now() - 10 * 86_400_000));
    await price(IDS.exhaust, 80_000, new Date(Date.now() - 60_000));
    const other = await signIn(api.app, 'digest.verifier@example.com');
    await send('post', '/api/verifications', other, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true }).expect(201);
    // The newest committed event: the store's gap-free head lags while other suites' transactions run on the server.
    const head = BigInt((await api.db.knex('events').max({ position: 'position' }).first())!.position);
    expect(await waitForPosition(api.db.knex, ['catalog', 'prices', 'builds', 'verification-log'], head, 10_000)).toBe(true);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('enqueues one digest for the rider who opted in, with the week on their build parts, and none for the other', async () => {
    const run = await api.app.get(JobRegistry).runNow('weekly-digest');
    expect(run.outcome).toBe('ok');
    const week = isoWeekOf(run.startedAt);
    expect(run.detail).toBe(`${week}: 1 digests enqueued, 0 already sent this week, 1 riders opted in`);

    const mails = await digests();
    expect(mails).toHaveLength(1);
    expect(mails[0].to_user_id).toBe(optedIn.userId);
    expect(mails[0].dedupe_key).toBe(`weekly-digest:${optedIn.userId}:${week}`);
    expect(mails[0].data).toMatchObject({
      newVerifications: 1,
      priceDrops: [{ partId: IDS.pads, partName: 'EBC HH Sintered Brake Pads', retailerName: 'RevZilla', priceCents: 4_500, currency: 'USD', partSlug: 'ebc-hh-sintered-brake-pads' }],
    });
  });

  it('enqueues nothing more when it runs again the same week', async () => {
    const run = await api.app.get(JobRegistry).runNow('weekly-digest');
    expect(run.detail).toMatch(/: 0 digests enqueued, 1 already sent this week/);
    expect(await digests()).toHaveLength(1);
  });
});
