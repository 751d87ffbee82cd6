import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitForPosition } from '@mpp/projection-runner';
import { JobRegistry } from '../../operations/jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';

describe('sitemap', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startApiUnderTest({ PUBLIC_BASE_URL: 'https://motopartpicker.test/' });
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    // The newest committed event: the store's gap-free head lags while other suites' transactions run on the server.
    const head = BigInt((await api.db.knex('events').max({ position: 'position' }).first())!.position);
    expect(await waitForPosition(api.db.knex, ['catalog'], head, 10_000)).toBe(true);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('is generated on first request when the daily job has not run yet', async () => {
    const res = await http().get('/api/sitemap.xml').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.headers['last-modified']).toBeDefined();
    expect(await api.db.knex('job_runs').where({ job: 'sitemap', outcome: 'ok' })).toHaveLength(1);
  });

  it('lists the static pages, every bike and every part, under PUBLIC_BASE_URL', async () => {
    const run = await api.app.get(JobRegistry).runNow('sitemap');
    expect(run).toMatchObject({ outcome: 'ok', detail: '7 URLs in 1 file' });
    const res = await http().get('/api/sitemap.xml').expect(200);
    const locs = [...res.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual([
      'https://motopartpicker.test/',
      'https://motopartpicker.test/search',
      'https://motopartpicker.test/pro',
      'https://motopartpicker.test/bikes/2021-yamaha-mt-07',
      'https://motopartpicker.test/bikes/2022-yamaha-mt-07',
      'https://motopartpicker.test/parts/akrapovic-slip-on-line-titanium',
      'https://motopartpicker.test/parts/ebc-hh-sintered-brake-pads',
    ]);
    expect(res.text).toMatch(/<lastmod>\d{4}-\d{2}-\d{2}T/);
  });

  it('has no numbered files while one file holds the site', async () => {
    await http().get('/api/sitemap-1.xml').expect(404);
    await http().get('/api/sitemap-x.xml').expect(404);
  });
});
