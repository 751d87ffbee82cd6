import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitForPosition } from '@mpp/projection-runner';
import { JobRegistry } from '../jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { BUILD_PARTS, COMPATIBILITY_RECORDS } from '@mpp/projections';

describe('daily data-quality check', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const post = (path: string, who: SignedIn, body: object) => http().post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);
  const orphanPart = randomUUID();
  const orphanBuild = randomUUID();

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'quality-admin@example.com', 'admin');
    const price = (partId: string, observedAt: Date) =>
      post('/api/admin/prices', admin, { partId, retailerId: IDS.revzilla, priceCents: 4500, currency: 'USD', inStock: true, url: 'https://www.revzilla.com/p/x', observedAt: observedAt.toISOString() }).expect(201);
    await price(IDS.pads, new Date(Date.now() - 2 * 86_400_000));
    await price(IDS.exhaust, new Date(Date.now() - 60_000));
    const sam = await signIn(api.app, 'sam.quality@example.com');
    // Pads on the 2021 bike: community status on one rider's word; on the 2022 bike: refuted, so disputed.
    await post('/api/verifications', sam, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true }).expect(201);
    await post('/api/verifications', sam, { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: false }).expect(201);
    // The newest committed event: the store's gap-free head lags while other suites' transactions run on the server.
    const head = BigInt((await api.db.knex('events').max({ position: 'position' }).first())!.position);
    expect(await waitForPosition(api.db.knex, ['catalog', 'compatibility', 'prices', 'builds'], head, 10_000)).toBe(true);
    // What a parked event or a projection bug leaves behind: rows naming things the catalog does not have.
    await api.db.knex(COMPATIBILITY_RECORDS).insert({ bike_id: IDS.mt07_2021, part_id: orphanPart, status: 'no_data' });
    await api.db.knex(BUILD_PARTS).insert({ build_id: orphanBuild, part_id: IDS.pads, quantity: 1, position: 0 });
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('shows no run before the first one, and only to admins', async () => {
    expect((await http().get('/api/admin/data-quality').set('Cookie', admin.cookie).expect(200)).body).toMatchObject({ run: null, items: [], total: 0 });
    const rider = await signIn(api.app, 'not-admin@example.com');
    await http().get('/api/admin/data-quality').set('Cookie', rider.cookie).expect(403);
    await http().get('/api/admin/data-quality').expect(401);
  });

  it('finds stale prices, orphan records and low-confidence fitment, and shows the latest run', async () => {
    const run = await api.app.get(JobRegistry).runNow('data-quality-check');
    expect(run.outcome).toBe('ok');
    expect(run.detail).toMatch(/1 stale-price, 1 orphan-compatibility-record, 1 orphan-build-part, 0 orphan-build-bike, 0 orphan-price, 1 single-confirmation, 1 disputed-fitment/);

    const res = await http().get('/api/admin/data-quality').set('Cookie', admin.cookie).expect(200);
    expect(res.body.run.counts).toEqual({
      'stale-price': 1,
      'orphan-compatibility-record': 1,
      'orphan-build-part': 1,
      'orphan-build-bike': 0,
      'orphan-price': 0,
      'single-confirmation': 1,
      'disputed-fitment': 1,
    });
    expect(res.body.total).toBe(5);
    const byKind = Object.fromEntries(res.body.items.map((f: { kind: string }) => [f.kind, f]));
    expect(byKind['stale-price']).toMatchObject({ subject: { partId: IDS.pads, retailerId: IDS.revzilla }, detail: expect.stringMatching(/^last observed /) });
    expect(byKind['orphan-compatibility-record']).toEqual({ kind: 'orphan-compatibility-record', subject: { partId: orphanPart, bikeId: IDS.mt07_2021 }, detail: 'part missing from the read models' });
    expect(byKind['orphan-build-part']).toMatchObject({ subject: { buildId: orphanBuild, partId: IDS.pads }, detail: 'build missing from the read models' });
    expect(byKind['single-confirmation'].subject).toEqual({ partId: IDS.pads, bikeId: IDS.mt07_2021 });
    expect(byKind['disputed-fitment']).toMatchObject({ subject: { partId: IDS.pads, bikeId: IDS.mt07_2022 }, detail: '0 confirmations, 1 refutations' });

    const disputed = await http().get('/api/admin/data-quality?kind=disputed-fitment').set('Cookie', admin.cookie).expect(200);
    expect(disputed.body.items.map((f: { kind: string }) => f.kind)).toEqual(['disputed-fitment']);
    await http().get('/api/admin/data-quality?kind=nonsense').set('Cookie', admin.cookie).expect(400);
  });

  it('serves the newest run once the problems are fixed', async () => {
    await api.db.knex(COMPATIBILITY_RECORDS).where({ part_id: orphanPart }).delete();
    await api.app.get(JobRegistry).runNow('data-quality-check');
    const res = await http().get('/api/admin/data-quality').set('Cookie', admin.cookie).expect(200);
    expect(res.body.run.counts['orphan-compatibility-record']).toBe(0);
    expect(Number((await api.db.knex('data_quality_runs').count({ n: '*' }).first())?.n)).toBe(2);
  });
});
