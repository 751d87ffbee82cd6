import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { loadConfig } from '@mpp/config';
import { createApiApp } from '../../create-api-app.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

/**
 * The per-part answers (a part's verification trail, its compatibility with a bike, its prices),
 * cached per part by the versions the projector writes, in two API processes over one database
 * with the real projector: 304s, exact eviction, and no stale answer under concurrent writes.
 */
describe('per-part answers in the answer cache (two API processes, one database)', () => {
  let api: ApiUnderTest;
  let second: NestExpressApplication;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let rider: SignedIn;
  let position = 0;

  const trail = (part: string) => `/api/parts/${part}/verifications`;
  const fitment = (part: string, bike = IDS.mt07_2021) => `/api/parts/${part}/compatibility?bikeId=${bike}`;
  const prices = (part: string) => `/api/prices/${part}?region=US`;

  const get = (app: NestExpressApplication, path: string, min: number | undefined = position) => {
    const req = request(app.getHttpServer()).get(path);
    return min === undefined ? req : req.set('X-Min-Position', String(min));
  };
  const hits = async (app: NestExpressApplication, family: string): Promise<number> => {
    const text = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
    const line = `mpp_answer_cache_hits_total{family="${family}"} `;
    const found = text.split('\n').find((l) => l.startsWith(line));
    return found ? Number(found.slice(line.length)) : 0;
  };
  const verify = async (fits: boolean, partId = IDS.pads, bikeId = IDS.mt07_2021) => {
    const res = await request(api.app.getHttpServer()).post('/api/verifications').set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).send({ partId, bikeId, fits }).expect(201);
    position = Math.max(position, res.body.position);
    return res.body.position as number;
  };
  const observe = async (partId: string, priceCents: number) => {
    const res = await request(api.app.getHttpServer())
      .post('/api/admin/prices')
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ partId, retailerId: IDS.revzilla, priceCents, currency: 'USD', inStock: true, url: 'https://www.revzilla.com/part', observedAt: new Date().toISOString() })
      .expect(201);
    position = Math.max(position, res.body.position);
    return res.body.position as number;
  };

  beforeAll(async () => {
    api = await startApiUnderTest();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_DEV_LOGIN: '1' });
    Logger.overrideLogger(false);
    second = await createApiApp({ config, databaseUrl: api.db.apiUrl });
    await second.init();
    projector = await startProjectorUnderTest(api.db);
    position = await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'per-part-admin@example.com', 'admin');
    rider = await signIn(api.app, 'per-part-rider@example.com');
    await verify(true);
  });
  afterAll(async () => {
    await projector.stop();
    await second?.close();
    await api.close();
  });

  it.each([
    ['part-verifications', trail(IDS.pads)],
    ['part-compatibility', fitment(IDS.pads)],
  ])('serves %s from the cache with a strong ETag, and 304 for that ETag', async (family, path) => {
    const first = await get(api.app, path).expect(200);
    expect(first.headers.etag).toMatch(/^"[^"]+"$/);
    const before = await hits(api.app, family);
    const again = await get(api.app, path, undefined).expect(200);
    expect(await hits(api.app, family)).toBe(before + 1);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    const notModified = await get(api.app, path, undefined).set('If-None-Match', first.headers.etag!).expect(304);
    expect(notModified.text).toBe('');
    await get(api.app, path, undefined).set('If-None-Match', '"another"').expect(200);
  });

  it('answers a compatibility cut in time from the log each time, never from the cache', async () => {
    const path = `${fitment(IDS.pads)}&asOf=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const before = await hits(api.app, 'part-compatibility');
    for (let i = 0; i < 2; i++) expect((await get(api.app, path).expect(200)).headers.etag).not.toMatch(/^"/);
    expect(await hits(api.app, 'part-compatibility')).toBe(before);
  });

  it('evicts exactly the per-part answers a write changed, in both processes', async () => {
    const paths = {
      padsTrail: trail(IDS.pads),
      padsFitment: fitment(IDS.pads),
      padsFitmentOtherBike: fitment(IDS.pads, IDS.mt07_2022),
      padsPrices: prices(IDS.pads),
      exhaustTrail: trail(IDS.exhaust),
      exhaustFitment: fitment(IDS.exhaust),
      exhaustPrices: prices(IDS.exhaust),
    };
    const tagsOf = async (app: NestExpressApplication, at: number) => {
      const tags: Record<string, string> = {};
      for (const [name, path] of Object.entries(paths)) tags[name] = (await get(app, path, at).expect(200)).headers.etag!;
      return tags;
    };
    const apps = [api.app, second];
    const before = await Promise.all(apps.map((app) => tagsOf(app, position)));

    // A verification of the pads on one bike: the pads' trail and compatibility (every bike of the part), nothing else.
    const verified = await verify(false);
    const afterVerification = await Promise.all(apps.map((app) => tagsOf(app, verified)));
    for (const [i, app] of apps.entries()) {
      const changed = ['padsTrail', 'padsFitment', 'padsFitmentOtherBike'];
      for (const name of Object.keys(paths)) {
        if (changed.includes(name)) expect(afterVerification[i]![name]).not.toBe(before[i]![name]);
        else expect(afterVerification[i]![name]).toBe(before[i]![name]);
      }
      expect((await get(app, paths.padsFitment, undefined).expect(200)).body).toMatchObject({ status: expect.any(String), refutations: 1, confirmations: 0 });
      expect((await get(app, paths.padsTrail, undefined).expect(200)).body.items[0]).toMatchObject({ fits: false, state: 'active' });
    }

    // A price of the exhaust: its prices alone (before, any prices batch dropped every part's prices).
    const hitsBefore = await Promise.all(apps.map((app) => hits(app, 'prices')));
    const observed = await observe(IDS.exhaust, 42_000);
    const afterPrice = await Promise.all(apps.map((app) => tagsOf(app, observed)));
    for (const [i, app] of apps.entries()) {
      for (const name of Object.keys(paths)) {
        if (name === 'exhaustPrices') expect(afterPrice[i]![name]).not.toBe(afterVerification[i]![name]);
        else expect(afterPrice[i]![name]).toBe(afterVerification[i]![name]);
      }
      // The pads' prices were served from the cache: one hit of the two prices reads of tagsOf.
      expect(await hits(app, 'prices')).toBe(hitsBefore[i]! + 1);
      expect((await get(app, paths.exhaustPrices, undefined).expect(200)).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ priceCents: 42_000 })]));
    }
  });

  it('never serves a trail or a compatibility older than a change it has applied, while both processes read under concurrent writes', async () => {
    const paths = [trail(IDS.pads), fitment(IDS.pads)];
    let reading = true;
    // Readers without X-Min-Position keep both caches busy storing answers while changes land.
    const readers = [api.app, second].flatMap((app) =>
      paths.map(async (path) => {
        while (reading) await get(app, path, undefined).expect(200);
      }),
    );
    try {
      for (let round = 0; round < 10; round++) {
        const fits = round % 2 === 0;
        const written = await verify(fits);
        const expected = { counts: fits ? { confirmations: 1, refutations: 0 } : { confirmations: 0, refutations: 1 }, newest: { fits, position: written } };
        for (const app of [api.app, second]) {
          const check = async (min: number | undefined) => {
            const [log, pair] = await Promise.all(paths.map(async (path) => (await get(app, path, min).expect(200)).body));
            expect(log.items[0]).toMatchObject(expected.newest);
            expect(pair).toMatchObject(expected.counts);
          };
          await check(written);
          // Once a process has applied the change, no answer from before it comes back.
          for (let i = 0; i < 3; i++) await check(undefined);
        }
      }
    } finally {
      reading = false;
      await Promise.all(readers);
    }
  });
});
