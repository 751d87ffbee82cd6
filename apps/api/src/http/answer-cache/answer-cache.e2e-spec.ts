import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

/** Enough parts on the 2022 bike that its page passes the compression threshold. */
const EXTRA_PARTS = Array.from({ length: 12 }, (_, i) => ({ sku: `CACHE-${i}`, brand: 'Rizoma', name: `Mirror Stealth ${i}`, category: 'mirrors' }));

/**
 * The answer cache of two API processes (two app instances) over one database, with the real
 * projector: what is cached, when it is evicted, what it sends.
 */
describe('answer cache (two API processes, one database)', () => {
  let api: ApiUnderTest;
  let second: NestExpressApplication;
  let small: NestExpressApplication;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let rider: SignedIn;
  let position = 0;
  const SMALL_BUDGET = 16 * 1024;

  const startAnotherApi = async (answerCacheBytes?: number) => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_DEV_LOGIN: '1' });
    Logger.overrideLogger(false);
    const app = await createApiApp({ config, databaseUrl: api.db.apiUrl, answerCacheBytes });
    await app.init();
    return app;
  };
  const get = (app: NestExpressApplication, path: string, min: number | undefined = position) => {
    const req = request(app.getHttpServer()).get(path);
    return min === undefined ? req : req.set('X-Min-Position', String(min));
  };
  const metric = async (app: NestExpressApplication, line: string): Promise<number> => {
    const text = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found ? Number(found.slice(line.length + 1)) : 0;
  };
  const hits = (app: NestExpressApplication, family: string) => metric(app, `mpp_answer_cache_hits_total{family="${family}"}`);
  const verify = async (fits: boolean, partId = IDS.pads, bikeId = IDS.mt07_2021) => {
    const res = await request(api.app.getHttpServer())
      .post('/api/verifications')
      .set('Cookie', rider.cookie)
      .set('X-CSRF-Token', rider.csrfToken)
      .send({ partId, bikeId, fits })
      .expect(201);
    position = Math.max(position, res.body.position);
    return res.body.position as number;
  };

  beforeAll(async () => {
    api = await startApiUnderTest();
    second = await startAnotherApi();
    small = await startAnotherApi(SMALL_BUDGET);
    projector = await startProjectorUnderTest(api.db);
    position = await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'cache-admin@example.com', 'admin');
    rider = await signIn(api.app, 'cache-rider@example.com');
    const imported = await request(api.app.getHttpServer())
      .post('/api/admin/catalog/import')
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ bikes: [], parts: EXTRA_PARTS, retailers: [], fitment: EXTRA_PARTS.map((p) => ({ sku: p.sku, make: 'Yamaha', model: 'MT-07', years: [2022, 2022], source: 'retailer' })) })
      .expect(201);
    position = Math.max(position, imported.body.position);
  });
  afterAll(async () => {
    await projector.stop();
    await small?.close();
    await second?.close();
    await api.close();
  });

  it('serves a repeated answer from the cache with a strong ETag, and 304 for that ETag', async () => {
    const path = '/api/bikes/2021-yamaha-mt-07/parts';
    const first = await get(api.app, path).expect(200);
    const before = await hits(api.app, 'bike-parts');
    const again = await get(api.app, path).expect(200);
    expect(await hits(api.app, 'bike-parts')).toBe(before + 1);
    expect(again.body).toEqual(first.body);
    expect(first.headers.etag).toMatch(/^"[^"]+"$/);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(first.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    // A browser keeps this copy for up to 35 s: a read-your-writes request (X-Min-Position) must not match it.
    expect(first.headers.vary).toContain('X-Min-Position');

    const notModified = await get(api.app, path).set('If-None-Match', first.headers.etag!).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(first.headers.etag);
    // Another query of the same bike is another representation.
    expect((await get(api.app, `${path}?sort=name`).expect(200)).headers.etag).not.toBe(first.headers.etag);
    await get(api.app, path).set('If-None-Match', '"something-else"').expect(200);
    const head = await request(api.app.getHttpServer()).head(path).expect(200);
    expect(head.headers.etag).toBe(first.headers.etag);
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
    // Signed in: the same answer, revalidated every time.
    expect((await get(api.app, path).set('Cookie', rider.cookie).expect(200)).headers['cache-control']).toBe('private, no-cache');
  });

  it('evicts exactly the answers whose keys a write changed, in both processes', async () => {
    const paths = {
      changedBike: '/api/bikes/2021-yamaha-mt-07/parts',
      otherBike: '/api/bikes/2022-yamaha-mt-07/parts',
      changedPart: `/api/parts/${IDS.pads}`,
      otherPart: `/api/parts/${IDS.exhaust}`,
      cascade: '/api/bikes/options?year=2021',
    };
    const before: Record<string, Record<string, string>> = {};
    for (const app of [api.app, second]) {
      const tags: Record<string, string> = {};
      for (const [name, path] of Object.entries(paths)) tags[name] = (await get(app, path).expect(200)).headers.etag!;
      before[app === api.app ? 'first' : 'second'] = tags;
    }
    const written = await verify(false);
    for (const [name, app] of [['first', api.app], ['second', second]] as const) {
      const changed = await get(app, paths.changedBike, written).expect(200);
      expect(changed.headers['x-consistent']).toBe('true');
      expect(changed.headers.etag).not.toBe(before[name]!.changedBike);
      const pads = changed.body.items.find((item: { part: { id: string } }) => item.part.id === IDS.pads);
      expect(pads).toMatchObject({ refutations: 1 });
      expect((await get(app, paths.changedPart, written).expect(200)).headers.etag).not.toBe(before[name]!.changedPart);

      const partHits = await hits(app, 'part-detail');
      const bikeHits = await hits(app, 'bike-parts');
      const optionHits = await hits(app, 'bike-options');
      expect((await get(app, paths.otherBike, written).expect(200)).headers.etag).toBe(before[name]!.otherBike);
      expect((await get(app, paths.otherPart, written).expect(200)).headers.etag).toBe(before[name]!.otherPart);
      expect((await get(app, paths.cascade, written).expect(200)).headers.etag).toBe(before[name]!.cascade);
      // Still cached: the write did not touch them.
      expect(await hits(app, 'bike-parts')).toBe(bikeHits + 1);
      expect(await hits(app, 'part-detail')).toBe(partHits + 1);
      expect(await hits(app, 'bike-options')).toBe(optionHits + 1);
    }
  });

  it('never serves an answer older than a change it has applied, while both processes read under concurrent writes', async () => {
    const path = '/api/bikes/2021-yamaha-mt-07/parts';
    const padsOf = (body: { items: { part: { id: string }; confirmations: number; refutations: number }[] }) => {
      const item = body.items.find((i) => i.part.id === IDS.pads)!;
      return { confirmations: item.confirmations, refutations: item.refutations };
    };
    let reading = true;
    // Readers without X-Min-Position keep both caches busy storing answers while changes land.
    const readers = [api.app, second].map(async (app) => {
      while (reading) await get(app, path, undefined).expect(200);
    });
    try {
      for (let round = 0; round < 12; round++) {
        const fits = round % 2 === 0;
        const written = await verify(fits);
        const expected = fits ? { confirmations: 1, refutations: 0 } : { confirmations: 0, refutations: 1 };
        for (const app of [api.app, second]) {
          const consistent = await get(app, path, written).expect(200);
          expect(consistent.headers['x-consistent']).toBe('true');
          expect(padsOf(consistent.body)).toEqual(expected);
          // Once a process has applied the change, no answer from before it comes back.
          for (let i = 0; i < 3; i++) expect(padsOf((await get(app, path, undefined).expect(200)).body)).toEqual(expected);
        }
      }
    } finally {
      reading = false;
      await Promise.all(readers);
    }
  });

  it("serves a part's current prices from the cache until a price of it is observed, then the new price in both processes", async () => {
    const path = `/api/prices/${IDS.exhaust}?region=US`;
    // Two observations in one hour are one event (price.decider), so the first is from earlier.
    const observe = async (priceCents: number, observedAt: Date) => {
      const res = await request(api.app.getHttpServer())
        .post('/api/admin/prices')
        .set('Cookie', admin.cookie)
        .set('X-CSRF-Token', admin.csrfToken)
        .send({ partId: IDS.exhaust, retailerId: IDS.revzilla, priceCents, currency: 'USD', inStock: true, url: 'https://www.revzilla.com/exhaust', observedAt: observedAt.toISOString() })
        .expect(201);
      position = Math.max(position, res.body.position);
      return res.body.position as number;
    };
    await get(api.app, path, await observe(50_000, new Date(Date.now() - 2 * 3_600_000))).expect(200);
    const held = await get(api.app, path, undefined).expect(200);
    const before = await hits(api.app, 'prices');
    expect((await get(api.app, path, undefined).expect(200)).headers.etag).toBe(held.headers.etag);
    expect(await hits(api.app, 'prices')).toBe(before + 1);
    await get(api.app, path, undefined).set('If-None-Match', held.headers.etag!).expect(304);

    const written = await observe(45_000, new Date());
    for (const app of [api.app, second]) {
      const fresh = await get(app, path, written).expect(200);
      expect(fresh.headers['x-consistent']).toBe('true');
      expect(fresh.body.items).toEqual([expect.objectContaining({ priceCents: 45_000, currency: 'USD' })]);
      expect((await get(app, path, undefined).expect(200)).body.items[0].priceCents).toBe(45_000);
    }
    // A cut in time is read from the log, never from the cache.
    const cutPath = `/api/prices/${IDS.exhaust}?asOf=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const cutHits = await hits(api.app, 'prices');
    for (let i = 0; i < 2; i++) expect((await get(api.app, cutPath, undefined).expect(200)).headers.etag).not.toMatch(/^"/);
    expect(await hits(api.app, 'prices')).toBe(cutHits);
  });

  it('keeps within its byte budget, dropping the least recently used answers', async () => {
    for (let page = 1; page <= 12; page++) {
      for (const limit of [1, 2, 3]) {
        const res = await get(small, `/api/bikes/2022-yamaha-mt-07/parts?limit=${limit}&page=${page}`).expect(200);
        expect(res.body.limit).toBe(limit);
      }
    }
    expect(await metric(small, 'mpp_answer_cache_bytes')).toBeLessThanOrEqual(SMALL_BUDGET);
    expect(await metric(small, 'mpp_answer_cache_bytes')).toBeGreaterThan(0);
    expect(await metric(small, 'mpp_answer_cache_evictions_total{reason="budget"}')).toBeGreaterThan(0);
  });

  describe('compression', () => {
    /** The bytes as sent (supertest would decode them), over a real port. */
    const rawGet = async (path: string, headers: Record<string, string>) => {
      const server = api.app.getHttpServer();
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return new Promise<{ status: number; headers: { get(name: string): string | null }; body: Buffer }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path, headers: { 'X-Min-Position': String(position), ...headers } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const get = (name: string) => (res.headers[name] === undefined ? null : String(res.headers[name]));
              resolve({ status: res.statusCode!, headers: { get }, body: Buffer.concat(chunks) });
            });
          })
          .on('error', reject);
      });
    };
    const path = '/api/bikes/2022-yamaha-mt-07/parts';

    it('sends a large cached answer as brotli or gzip, as asked, and as it is otherwise', async () => {
      const plain = await rawGet(path, { 'Accept-Encoding': 'identity' });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.body.length).toBeGreaterThan(1024);
      const answer = JSON.parse(plain.body.toString());

      const br = await rawGet(path, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(br.headers.get('vary')).toMatch(/Accept-Encoding/);
      expect(br.body.length).toBeLessThan(plain.body.length);
      expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(answer);
      expect(br.headers.get('etag')).not.toBe(plain.headers.get('etag'));

      const gz = await rawGet(path, { 'Accept-Encoding': 'gzip' });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(JSON.parse(gunzipSync(gz.body).toString())).toEqual(answer);
      expect((await rawGet(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.get('etag')! })).status).toBe(304);

      expect((await rawGet(path, { 'Accept-Encoding': 'br;q=0, gzip' })).headers.get('content-encoding')).toBe('gzip');
    });

    it('leaves a small answer uncompressed', async () => {
      const res = await get(api.app, '/api/bikes/options').set('Accept-Encoding', 'br, gzip').expect(200);
      expect(res.headers['content-encoding']).toBeUndefined();
    });

    it('compresses JSON of routes outside the cache too', async () => {
      const res = await rawGet('/api/docs/openapi.json', { 'Accept-Encoding': 'br' });
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(JSON.parse(brotliDecompressSync(res.body).toString())).toMatchObject({ openapi: expect.any(String) });
    });
  });
});
