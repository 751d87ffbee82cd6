import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiUnderTest, type ApiUnderTest } from '@mpp/api/testing';
import { DEMO_CATALOG, expandBikes, expandFitment } from './demo-catalog.js';
import { countObservations, generateDemoHistory } from './demo-history.js';
import { DemoSeedRequestFailed, seedDemo, type SeedReport } from './seed-demo.js';

const HOUR_MS = 3_600_000;

describe('seedDemo against the real API', () => {
  let api: ApiUnderTest;
  let baseUrl: string;
  // Three hours in the past, so that a later run can take the real clock's hour without posting
  // observations the API would refuse as being in its future.
  const now = new Date(Date.now() - 3 * HOUR_MS);
  const history = generateDemoHistory(DEMO_CATALOG, { now });
  const lines: string[] = [];
  let first: SeedReport;

  const eventsByType = async () => {
    const rows: { type: string; n: string | number }[] = await api.db.knex('events').select('type').count('* as n').groupBy('type');
    return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
  };

  beforeAll(async () => {
    api = await startApiUnderTest();
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    first = await seedDemo(baseUrl, { now, log: (line) => lines.push(line) });
  }, 120_000);
  afterAll(() => api?.close());

  it('loads the whole demo as events from real commands', async () => {
    expect(await eventsByType()).toEqual({
      BikeRegistered: expandBikes(DEMO_CATALOG).length,
      PartCataloged: DEMO_CATALOG.parts.length,
      RetailerRegistered: DEMO_CATALOG.retailers.length,
      FitmentPublished: expandFitment(DEMO_CATALOG).length,
      PriceObserved: countObservations(history.prices),
      VerificationSubmitted: history.verifications.length,
    });
  });

  it('reports what was new and the position it reached', async () => {
    const last = await api.db.knex('events').max<{ max: string }>('position as max').first();
    expect(first).toEqual({
      bikes: expandBikes(DEMO_CATALOG).length,
      parts: DEMO_CATALOG.parts.length,
      retailers: DEMO_CATALOG.retailers.length,
      fitment: expandFitment(DEMO_CATALOG).length,
      prices: countObservations(history.prices),
      verifications: history.verifications.length,
      position: Number(last!.max),
      skipped: false,
    });
    expect(lines.at(-1)).toMatch(/^demo seeded in \d+\.\ds/);
  });

  it('appends nothing when run again with the same clock', async () => {
    const before = await eventsByType();
    const again = await seedDemo(baseUrl, { now });
    expect(again).toMatchObject({ bikes: 0, parts: 0, retailers: 0, fitment: 0, prices: 0, verifications: 0, skipped: true });
    expect(await eventsByType()).toEqual(before);
  });

  it('on a later run records only the latest price of each part and retailer', async () => {
    const before = await eventsByType();
    const report = await seedDemo(baseUrl, { now: new Date(now.getTime() + 3 * HOUR_MS) });
    expect(report).toMatchObject({ bikes: 0, prices: history.prices.length, verifications: 0, skipped: true });
    expect(await eventsByType()).toEqual({ ...before, PriceObserved: before.PriceObserved + history.prices.length });
  });
});

describe('seedDemo over a flaky or refusing API', () => {
  let server: Server;
  let baseUrl: string;
  const seenByImport: IncomingMessage['headers'][] = [];
  // Answered, in order, before the fake API starts working.
  const hiccups: { status: number; headers?: Record<string, string> }[] = [{ status: 503 }, { status: 429, headers: { 'Retry-After': '1' } }, { status: 503 }];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const hiccup = hiccups.shift();
      if (hiccup) {
        res.writeHead(hiccup.status, hiccup.headers).end();
        return;
      }
      if (req.url === '/auth/dev-login') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': ['mpp_session=s3ss10n; Path=/; HttpOnly', 'csrf=t0k3n; Path=/'] });
        res.end(JSON.stringify({ id: 'admin', csrfToken: 't0k3n' }));
        return;
      }
      seenByImport.push(req.headers);
      res.writeHead(400, { 'Content-Type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, errors: [{ field: 'parts.0.category', message: 'category must be one of the part category keys' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('retries on 503 and 429, keeps the session cookies and fails on a 4xx with the problem+json', async () => {
    const failure = await seedDemo(baseUrl, { now: new Date() }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DemoSeedRequestFailed);
    expect(failure).toMatchObject({ method: 'POST', path: '/api/admin/catalog/import', status: 400 });
    expect((failure as Error).message).toContain('parts.0.category');
    expect(hiccups).toEqual([]);
    expect(seenByImport).toHaveLength(1);
    expect(seenByImport[0]).toMatchObject({ cookie: 'mpp_session=s3ss10n; csrf=t0k3n', 'x-csrf-token': 't0k3n' });
  });
});
