import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { partIdFor, retailerIdFor } from '@mpp/domain';
import { waitForPosition } from '@mpp/projection-runner';
import { JobRegistry } from '../../operations/jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn } from '../../testing/sign-in.js';
import { PriceFeedImport } from './price-feed-import.js';
import { startFeedServer, withEnv, type FeedServer } from './testing/feed-server.js';

/** Parts of the demo catalog that the fixture feed prices, plus retailers with one feed each. */
const CATALOG = {
  bikes: [{ make: 'Yamaha', model: 'MT-07', years: [2021, 2021], engineCc: 689 }],
  parts: [
    { sku: 'FA252HH', brand: 'EBC', name: 'HH sintered front brake pads', category: 'brake-pads' },
    { sku: 'S-Y7SO3-HAPC', brand: 'Akrapovic', name: 'Slip-On Line (Carbon) for Yamaha MT-07', category: 'exhaust' },
    { sku: 'CP0434BL', brand: 'R&G', name: 'Aero crash protectors, MT-07', category: 'frame-sliders' },
  ],
  retailers: [
    { name: 'RevZilla', baseUrl: 'https://www.revzilla.com' },
    { name: 'FC-Moto', baseUrl: 'https://www.fc-moto.de' },
    { name: 'Louis', baseUrl: 'https://www.louis.de' },
  ],
  fitment: [],
};

const PADS = partIdFor('FA252HH');
const EXHAUST = partIdFor('S-Y7SO3-HAPC');
const SLIDERS = partIdFor('CP0434BL');
const REVZILLA = retailerIdFor('RevZilla');
const FC_MOTO = retailerIdFor('FC-Moto');
const LOUIS = retailerIdFor('Louis');

async function importCatalog(api: ApiUnderTest): Promise<void> {
  const admin = await signIn(api.app, 'feeds-admin@example.com', 'admin');
  await request(api.app.getHttpServer()).post('/api/admin/catalog/import').set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrfToken).send(CATALOG).expect(201);
}

/**
 * Straight from the PostgreSQL adapter's table: the store's gap-free reads hold back events while any
 * older transaction runs anywhere on the server, which other suites running in parallel cause.
 */
async function priceEvents(api: ApiUnderTest): Promise<{ partId: string; retailerId: string; inStock: boolean; position: string }[]> {
  const rows: { data: { partId: string; retailerId: string; inStock: boolean }; position: string }[] = await api.db
    .knex('events')
    .where({ type: 'PriceObserved' })
    .orderBy('position')
    .select('data', 'position');
  return rows.map((r) => ({ partId: r.data.partId, retailerId: r.data.retailerId, inStock: r.data.inStock, position: String(r.position) }));
}

async function caughtUp(api: ApiUnderTest): Promise<void> {
  const last = await api.db.knex('events').max({ position: 'position' }).first();
  expect(await waitForPosition(api.db.knex, ['prices', 'catalog'], BigInt(last!.position), 10_000)).toBe(true);
}

describe('hourly price update: a fixture feed, a CSV feed and a failing JSON feed', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let louis: FeedServer;
  let fcMoto: FeedServer;

  beforeAll(async () => {
    louis = await startFeedServer(() => ({
      status: 200,
      contentType: 'text/csv',
      body: [
        'sku,priceCents,currency,inStock,url',
        'FA252HH,4499,EUR,true,https://www.louis.de/p/fa252hh',
        '"S-Y7SO3-HAPC",91999,EUR,no,"https://www.louis.de/p/s-y7so3-hapc"',
        'FA252HH-X,lots,EUR,true,https://www.louis.de/p/bad',
        'CP0434BL,8999,EUR,true,https://elsewhere.example/p/cp0434bl',
      ].join('\r\n'),
    }));
    fcMoto = await startFeedServer(() => ({ status: 500, body: 'feed generator crashed' }));
    const feeds = JSON.stringify([
      { retailer: 'RevZilla', format: 'fixture' },
      { retailer: 'FC-Moto', format: 'json', url: fcMoto.url },
      { retailer: 'Louis', format: 'csv', url: louis.url },
    ]);
    api = await withEnv({ RETAILER_FEEDS: feeds }, () => startApiUnderTest({ RETAILER_FEEDS: feeds }));
    projector = await startProjectorUnderTest(api.db);
    await importCatalog(api);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
    await louis.close();
    await fcMoto.close();
  });

  it("records the other retailers' prices when one feed fails, and records the failure", async () => {
    const run = await api.app.get(JobRegistry).runNow('price-update');
    expect(run.outcome).toBe('ok');
    expect(run.detail).toMatch(/^2 feeds ok, 1 failed \(.*\); 5 prices recorded, 0 unchanged this hour, 0 delisted, 2 rows rejected, 3 unknown parts$/);

    const events = await priceEvents(api);
    expect(events.map((e) => `${e.retailerId === REVZILLA ? 'revzilla' : 'louis'}:${e.partId}:${e.inStock}`).sort()).toEqual(
      [`louis:${EXHAUST}:false`, `louis:${PADS}:true`, `revzilla:${EXHAUST}:true`, `revzilla:${PADS}:true`, `revzilla:${SLIDERS}:false`].sort(),
    );
    expect(events.some((e) => e.retailerId === FC_MOTO)).toBe(false);

    // The failing feed was tried, retried, then given up on and written down with its retailer.
    expect(fcMoto.hits).toBe(3);
    const errors = await api.db.knex('integration_errors').where({ integration: 'retailer-feed:FC-Moto' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ operation: 'fetch-offers', payload: { retailerId: FC_MOTO, format: 'json' } });
    expect(errors[0].error).toMatch(/HTTP 500/);
  });

  it('shows the recorded prices, stamped with the hour of the run, out-of-stock rows as out of stock', async () => {
    await caughtUp(api);
    const res = await request(api.app.getHttpServer()).get(`/api/prices/${EXHAUST}`).expect(200);
    const byRetailer = Object.fromEntries(res.body.items.map((i: { retailer: { id: string } }) => [i.retailer.id, i]));
    expect(byRetailer[LOUIS]).toMatchObject({ priceCents: 91999, currency: 'EUR', inStock: false, url: 'https://www.louis.de/p/s-y7so3-hapc', stale: false });
    expect(byRetailer[REVZILLA]).toMatchObject({ priceCents: 104999, currency: 'USD', inStock: true });
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    expect(new Date(byRetailer[LOUIS].observedAt).toISOString()).toBe(hour);
  });

  it('appends no event when the job runs again in the same hour', async () => {
    const before = await priceEvents(api);
    const run = await api.app.get(JobRegistry).runNow('price-update');
    expect(run.outcome).toBe('ok');
    expect(run.detail).toMatch(/0 prices recorded, 5 unchanged this hour/);
    expect(await priceEvents(api)).toEqual(before);
  });

  it('keeps the run ok while at least one feed works', async () => {
    louis.answer(() => ({ status: 503, body: 'maintenance' }));
    const fixtureOnly = await api.app.get(JobRegistry).runNow('price-update');
    expect(fixtureOnly.outcome).toBe('ok');
    expect(fixtureOnly.detail).toMatch(/^1 feeds ok, 2 failed/);
  });
});

describe('price update: offers a feed stops listing', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let louis: FeedServer;
  const offers = (rows: object[]) => () => ({ status: 200, contentType: 'application/json', body: JSON.stringify({ offers: rows }) });
  const pads = { sku: 'FA252HH', priceCents: 4499, currency: 'EUR', inStock: true, url: 'https://www.louis.de/p/fa252hh' };
  const exhaust = { partId: EXHAUST, priceCents: 91999, currency: 'EUR', inStock: true, url: 'https://www.louis.de/p/s-y7so3-hapc' };

  beforeAll(async () => {
    louis = await startFeedServer(offers([pads, exhaust]));
    const feeds = JSON.stringify([{ retailer: 'Louis', format: 'json', url: louis.url }]);
    api = await withEnv({ RETAILER_FEEDS: feeds }, () => startApiUnderTest({ RETAILER_FEEDS: feeds }));
    projector = await startProjectorUnderTest(api.db);
    await importCatalog(api);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
    await louis.close();
  });

  it('records an offer the feed no longer lists as out of stock, but ignores an empty feed', async () => {
    const feeds = api.app.get(PriceFeedImport);
    const now = Date.now();
    const [first] = await feeds.importAll(new Date(now - 2 * 3_600_000));
    expect(first).toMatchObject({ outcome: 'ok', adapter: 'http-json', recorded: 2, delisted: 0 });
    await caughtUp(api);

    louis.answer(offers([]));
    const [empty] = await feeds.importAll(new Date(now - 3_600_000));
    expect(empty).toMatchObject({ outcome: 'ok', rows: 0, recorded: 0, delisted: 0 });

    louis.answer(offers([pads]));
    const [later] = await feeds.importAll(new Date(now));
    expect(later).toMatchObject({ outcome: 'ok', recorded: 2, delisted: 1 });
    const exhaustEvents = (await priceEvents(api)).filter((e) => e.partId === EXHAUST);
    expect(exhaustEvents.map((e) => e.inStock)).toEqual([true, false]);
  });
});
