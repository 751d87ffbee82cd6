import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { awayFromRateLimitWindowEnd } from '../../testing/rate-limit-window.js';

/** Headers that differ between any two answers (the clock, the count left). */
const VOLATILE = new Set(['date', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'connection', 'keep-alive']);
const stable = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !VOLATILE.has(name)));

/**
 * Anonymous catalog GETs whose answer the process holds are answered before the framework runs
 * (held-answers.ts). These prove that such an answer is indistinguishable from the full pipeline's,
 * still counts against the rate limit, is logged without PII, and that what needs the pipeline
 * (a cross-origin request) still gets it.
 */
describe('held answers at the front of the pipeline', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let position = 0;
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const heldLines = () => lines.filter((l) => String((l.req as { id?: unknown } | undefined)?.id).startsWith('held-'));
  const path = '/api/bikes/2021-yamaha-mt-07/parts';

  beforeAll(async () => {
    api = await startApiUnderTest({ LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '10', CORS_ORIGINS: 'https://web.example', TRUSTED_PROXIES: 'loopback' }, { logDestination: sink });
    projector = await startProjectorUnderTest(api.db);
    position = await importSmallCatalog(api.app);
    // Caught up, so the first plain GET below computes the answer the projector has finished.
    await request(api.app.getHttpServer()).get(path).set('X-Min-Position', String(position)).set('X-Forwarded-For', '198.51.100.1').expect(200);
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('answers a held GET with the same status, headers and bytes as the full pipeline, and logs it without the query', async () => {
    const from = (address: string) => request(api.app.getHttpServer()).get(`${path}?sort=name`).set('X-Forwarded-For', address);
    const computed = await from('198.51.100.2').expect(200);
    const before = heldLines().length;
    const held = await from('198.51.100.2').expect(200);
    expect(heldLines().length).toBe(before + 1);
    expect(stable(held.headers)).toEqual(stable(computed.headers));
    expect(held.text).toBe(computed.text);
    expect(held.headers['content-security-policy']).toContain("default-src 'none'");
    expect(held.headers['x-ratelimit-limit']).toBe('10');

    const notModified = await from('198.51.100.2').set('If-None-Match', computed.headers.etag!).expect(304);
    expect(notModified.headers.etag).toBe(computed.headers.etag);
    expect(heldLines().at(-1)).toMatchObject({ level: 30, msg: 'request completed', route: '/api/bikes/:idOrSlug/parts', status: 304, res: { status: 304 } });
    expect(JSON.stringify(heldLines())).not.toContain('sort=');
  });

  it('counts held answers against the per-minute limit of their address', async () => {
    const from = () => request(api.app.getHttpServer()).get(path).set('X-Forwarded-For', '203.0.113.7');
    const statuses: number[] = [];
    await awayFromRateLimitWindowEnd(api.db.knex);
    for (let i = 0; i < 12; i += 1) statuses.push((await from()).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    // Another address is another client.
    await request(api.app.getHttpServer()).get(path).set('X-Forwarded-For', '203.0.113.8').expect(200);
  });

  it('leaves a cross-origin request to the pipeline, which answers it with its CORS headers', async () => {
    const res = await request(api.app.getHttpServer()).get(path).set('Origin', 'https://web.example').set('X-Forwarded-For', '198.51.100.3').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://web.example');
    expect(res.headers.vary).toContain('Origin');
  });
});
