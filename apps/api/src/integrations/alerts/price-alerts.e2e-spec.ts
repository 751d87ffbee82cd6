import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitForPosition } from '@mpp/projection-runner';
import { JobRegistry } from '../../operations/jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

const HOUR = 3_600_000;

describe('price-drop alerts', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let pro: SignedIn;
  let free: SignedIn;
  let alertId: string;
  const http = () => request(api.app.getHttpServer());
  const post = (path: string, who: SignedIn, body: object) => http().post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);
  const alertMails = () => api.db.knex('email_outbox').where({ kind: 'price-drop-alert' }).orderBy('created_at').select('to_user_id', 'data', 'dedupe_key');
  const runAlerts = () => api.app.get(JobRegistry).runNow('price-alerts');

  /** Observes the exhaust at RevZilla `hoursAgo` hours back (one observation per hour counts), and waits for the read model. */
  async function exhaustCosts(priceCents: number, hoursAgo: number): Promise<void> {
    await post('/api/admin/prices', admin, {
      partId: IDS.exhaust,
      retailerId: IDS.revzilla,
      priceCents,
      currency: 'USD',
      inStock: true,
      url: 'https://www.revzilla.com/p/ak-mt07-so',
      observedAt: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
    }).expect(201);
    // The newest committed event: the store's gap-free head lags while other suites' transactions run on the server.
    const head = BigInt((await api.db.knex('events').max({ position: 'position' }).first())!.position);
    expect(await waitForPosition(api.db.knex, ['catalog', 'prices'], head, 10_000)).toBe(true);
  }

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'alerts-admin@example.com', 'admin');
    pro = await signIn(api.app, 'pro.rider@example.com');
    free = await signIn(api.app, 'free.rider@example.com');
    await api.db.knex('users').where({ id: pro.userId }).update({ plan: 'pro' });
    await exhaustCosts(99_900, 3.5);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('refuses riders on the free plan with a 403 problem', async () => {
    const res = await post('/api/alerts', free, { partId: IDS.exhaust, targetPriceCents: 90_000 }).expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/Pro/);
    await http().post('/api/alerts').send({ partId: IDS.exhaust, targetPriceCents: 90_000 }).expect(401);
    await http().post('/api/alerts').set('Cookie', pro.cookie).send({ partId: IDS.exhaust, targetPriceCents: 90_000 }).expect(403);
  });

  it('answers 404 for an unknown part and 400 naming a bad field', async () => {
    await post('/api/alerts', pro, { partId: randomUUID(), targetPriceCents: 90_000 }).expect(404);
    const invalid = await post('/api/alerts', pro, { partId: IDS.exhaust, targetPriceCents: -5 }).expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(['targetPriceCents']);
  });

  it('creates an alert for a Pro rider and lists it as theirs', async () => {
    const res = await post('/api/alerts', pro, { partId: IDS.exhaust, targetPriceCents: 90_000 }).expect(201);
    alertId = res.body.id;
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const mine = await http().get('/api/alerts').set('Cookie', pro.cookie).expect(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ id: alertId, targetPriceCents: 90_000, armed: true, timesFired: 0, part: expect.objectContaining({ id: IDS.exhaust, slug: 'akrapovic-slip-on-line-titanium' }) }),
    ]);
    expect((await http().get('/api/alerts').set('Cookie', free.cookie).expect(200)).body.items).toEqual([]);
  });

  it('stays quiet while the best price is above the target', async () => {
    expect((await runAlerts()).detail).toBe('0 alerts fired, 0 re-armed');
    expect(await alertMails()).toHaveLength(0);
  });

  it('fires exactly once when the price drops to the target, however often the job runs', async () => {
    await exhaustCosts(85_000, 2.5);
    expect((await runAlerts()).detail).toBe('1 alerts fired, 0 re-armed');
    expect((await runAlerts()).detail).toBe('0 alerts fired, 0 re-armed');
    const mails = await alertMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      to_user_id: pro.userId,
      dedupe_key: `price-drop-alert:${alertId}:1`,
      data: { partId: IDS.exhaust, partName: 'Akrapovic Slip-On Line (Titanium)', retailerName: 'RevZilla', priceCents: 85_000, currency: 'USD', targetPriceCents: 90_000 },
    });
  });

  it('re-arms when the price goes back above the target, and fires on the next drop', async () => {
    await exhaustCosts(95_000, 1.5);
    expect((await runAlerts()).detail).toBe('0 alerts fired, 1 re-armed');
    await exhaustCosts(80_000, 0);
    expect((await runAlerts()).detail).toBe('1 alerts fired, 0 re-armed');
    expect((await alertMails()).map((m) => m.data.priceCents)).toEqual([85_000, 80_000]);
  });

  it('lets only the owner delete an alert', async () => {
    const otherPro = await signIn(api.app, 'other.pro@example.com');
    await http().delete(`/api/alerts/${alertId}`).set('Cookie', otherPro.cookie).set('X-CSRF-Token', otherPro.csrfToken).expect(403);
    await http().delete(`/api/alerts/${alertId}`).set('Cookie', pro.cookie).set('X-CSRF-Token', pro.csrfToken).expect(204);
    await http().delete(`/api/alerts/${alertId}`).set('Cookie', pro.cookie).set('X-CSRF-Token', pro.csrfToken).expect(404);
    expect((await http().get('/api/alerts').set('Cookie', pro.cookie).expect(200)).body.items).toEqual([]);
  });
});
