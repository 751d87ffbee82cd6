import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { schemaMismatches, type Schema } from './testing/schema-mismatches.js';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

/**
 * The document describes what the handlers really answer: real requests against a real catalog, each
 * answer held against its operation's schema for the status it came with (strictly: an undocumented
 * field fails too).
 */
describe('answers match the OpenAPI document', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let rider: SignedIn;
  let document: Document;
  let position = 0;
  const http = () => request(api.app.getHttpServer());

  /** Sends the request and returns where its answer departs from the document (and the answer). */
  async function call(
    method: 'get' | 'post' | 'put' | 'delete',
    template: string,
    path: string,
    options: { who?: SignedIn; body?: object; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: Record<string, unknown>; mismatches: string[] }> {
    let req = http()[method](path).set('X-Min-Position', String(position));
    if (options.who) req = req.set('Cookie', options.who.cookie).set('X-CSRF-Token', options.who.csrfToken);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    const res = await (options.body ? req.send(options.body) : req);
    if (typeof res.body?.position === 'number') position = Math.max(position, res.body.position);
    const response = document.paths[template]?.[method]?.responses[String(res.status)];
    if (!response) return { status: res.status, body: res.body, mismatches: [`${method.toUpperCase()} ${template}: ${res.status} is not documented`] };
    const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
    const mismatches = media ? schemaMismatches(document, media.schema, res.body).map((m) => `${method.toUpperCase()} ${path} ${res.status}: ${m}`) : [];
    if (mediaType && !String(res.headers['content-type']).startsWith(mediaType)) mismatches.push(`${path}: answered ${res.headers['content-type']}, documented ${mediaType}`);
    return { status: res.status, body: res.body, mismatches };
  }

  /** `call` for a request that must succeed, collecting where its answer departs from the document. */
  function successesInto(mismatches: string[]) {
    return async (...args: Parameters<typeof call>) => {
      const answer = await call(...args);
      mismatches.push(...answer.mismatches);
      expect({ path: args[2], status: answer.status, body: answer.status < 300 ? null : answer.body }).toEqual({ path: args[2], status: expect.any(Number), body: null });
      return answer;
    };
  }

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    api = await startApiUnderTest({
      AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      AUDIT_WITNESS_DIR: mkdtempSync(join(tmpdir(), 'mpp-doc-witness-')),
    });
    projector = await startProjectorUnderTest(api.db);
    position = await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'doc-admin@example.com', 'admin');
    rider = await signIn(api.app, 'doc-rider@example.com');
    document = (await http().get('/api/docs/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('in every catalog, price and audit read', async () => {
    const mismatches: string[] = [];
    const check = successesInto(mismatches);
    await check('post', '/api/admin/prices', '/api/admin/prices', {
      who: admin,
      body: { partId: IDS.exhaust, retailerId: IDS.revzilla, priceCents: 89_900, currency: 'USD', inStock: true, url: `https://www.revzilla.com/p/${IDS.exhaust}`, observedAt: new Date(Date.now() - 3600_000).toISOString() },
    });
    const submitted = await check('post', '/api/verifications', '/api/verifications', { who: rider, body: { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true, notes: 'Bolted on' } });
    const reads: [string, string][] = [
      ['/api/bikes', '/api/bikes?year=2021'],
      ['/api/bikes/options', '/api/bikes/options'],
      ['/api/bikes/options', '/api/bikes/options?year=2021&make=Yamaha'],
      ['/api/bikes/{idOrSlug}', '/api/bikes/2021-yamaha-mt-07'],
      ['/api/bikes/{idOrSlug}/parts', '/api/bikes/2021-yamaha-mt-07/parts'],
      ['/api/parts', '/api/parts'],
      ['/api/parts/{idOrSlug}', `/api/parts/${IDS.exhaust}`],
      ['/api/parts/{idOrSlug}/verifications', `/api/parts/${IDS.exhaust}/verifications`],
      ['/api/parts/{idOrSlug}/compatibility', `/api/parts/${IDS.exhaust}/compatibility?bikeId=${IDS.mt07_2021}`],
      ['/api/parts/{idOrSlug}/compatibility', `/api/parts/${IDS.exhaust}/compatibility?bikeId=${IDS.mt07_2021}&asOf=${encodeURIComponent(new Date().toISOString())}`],
      ['/api/prices/{partId}', `/api/prices/${IDS.exhaust}`],
      ['/api/prices/{partId}/history', `/api/prices/${IDS.exhaust}/history`],
      ['/api/retailers', '/api/retailers'],
      ['/api/search', '/api/search?q=exhaust'],
      ['/api/search', `/api/search?bikeId=${IDS.mt07_2021}`],
      ['/api/verifications/recent', '/api/verifications/recent'],
      ['/auth/providers', '/auth/providers'],
      ['/health', '/health'],
      ['/ready', '/ready'],
    ];
    for (const [template, path] of reads) {
      expect((await check('get', template, path)).status).toBe(200);
    }
    // After the reads above waited for the projections: the checkpoint covers the verification.
    await check('post', '/api/admin/audit/checkpoints', '/api/admin/audit/checkpoints', { who: admin });
    const audit: [string, string][] = [
      ['/api/verifications/{id}/proof', `/api/verifications/${submitted.body['verificationId']}/proof`],
      ['/api/audit/public-key', '/api/audit/public-key'],
      ['/api/audit/checkpoints', '/api/audit/checkpoints'],
      ['/api/audit/checkpoints/latest', '/api/audit/checkpoints/latest'],
    ];
    for (const [template, path] of audit) {
      expect((await check('get', template, path)).status).toBe(200);
    }
    expect(mismatches).toEqual([]);
  });

  it("in a rider's and an admin's own reads and commands", async () => {
    const mismatches: string[] = [];
    const check = successesInto(mismatches);
    const created = await check('post', '/api/builds', '/api/builds', {
      who: rider,
      body: { name: 'Commuter', bikeId: IDS.mt07_2021, parts: [{ partId: IDS.exhaust, quantity: 1 }, { partId: IDS.pads, quantity: 2, note: 'fronts' }], visibility: 'public' },
    });
    const buildId = String(created.body['id']);
    const updated = await check('put', '/api/builds/{id}', `/api/builds/${buildId}`, { who: rider, headers: { 'If-Match': `"${created.body['revision']}"` }, body: { name: 'Commuter 2' } });
    await check('get', '/api/builds/{id}', `/api/builds/${buildId}`);
    await check('get', '/api/builds', '/api/builds', { who: rider });
    const submitted = await check('post', '/api/verifications', '/api/verifications', { who: rider, body: { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: false } });
    await check('get', '/api/verifications/mine', `/api/verifications/mine?partId=${IDS.pads}`, { who: rider });
    await check('post', '/api/admin/verifications/{id}/moderate', `/api/admin/verifications/${submitted.body['verificationId']}/moderate`, { who: admin, body: { action: 'hide', reason: 'test' } });
    await check('post', '/api/verifications/{id}/retract', `/api/verifications/${submitted.body['verificationId']}/retract`, { who: rider, body: {} });
    await check('get', '/api/me', '/api/me', { who: rider });
    await check('put', '/api/me/preferences', '/api/me/preferences', { who: rider, body: { weeklyDigest: true } });
    await check('get', '/api/alerts', '/api/alerts', { who: rider });
    await check('post', '/api/builds/{id}/share', `/api/builds/${buildId}/share`, { who: rider, body: { email: 'friend@example.com' } });
    await check('get', '/api/dev/mailbox', '/api/dev/mailbox');
    await check('get', '/api/admin/projections', '/api/admin/projections', { who: admin });
    await check('get', '/api/admin/jobs', '/api/admin/jobs', { who: admin });
    await check('get', '/api/admin/data-quality', '/api/admin/data-quality', { who: admin });
    await check('delete', '/api/builds/{id}', `/api/builds/${buildId}`, { who: rider, headers: { 'If-Match': `"${updated.body['revision']}"` } });
    expect(mismatches).toEqual([]);
  });

  it('in refusals: problem+json as ProblemDetails', async () => {
    const answers = [
      await call('get', '/api/bikes/{idOrSlug}', '/api/bikes/no-such-bike'),
      await call('get', '/api/bikes', '/api/bikes?year=ninety'),
      await call('get', '/api/builds', '/api/builds'),
      await call('post', '/api/builds', '/api/builds', { who: { ...rider, csrfToken: 'wrong' }, body: { name: 'x', bikeId: IDS.mt07_2021 } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 400, 401, 403]);
    expect(answers.flatMap((a) => a.mismatches)).toEqual([]);
  });
});
