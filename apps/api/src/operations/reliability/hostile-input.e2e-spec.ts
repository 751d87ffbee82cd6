import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import type { Knex } from 'knex';
import { waitForPosition } from '@mpp/projection-runner';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { hostileBody, hostileString, PAYLOADS, PROTOTYPE_KEYS } from './testing/hostile-values.js';
import { routeName, routeTable, type RouteKey } from './testing/route-table.js';

const RUNS_PER_ROUTE = Number(process.env.MPP_FUZZ_RUNS ?? 25);
const SEED = process.env.MPP_FUZZ_SEED === undefined ? undefined : Number(process.env.MPP_FUZZ_SEED);

/** Routes whose integration is not configured in tests: they answer a deliberate 503 to everyone. */
const UNCONFIGURED_503 = new Set([
  'GET /auth/google',
  'GET /auth/google/callback',
  'POST /api/webhooks/stripe',
  'POST /api/billing/checkout',
  'POST /api/billing/portal',
  // No AUDIT_SIGNING_KEY in tests.
  'GET /api/audit/public-key',
  'POST /api/admin/audit/checkpoints',
  'POST /api/audit/checkpoints/consistency',
]);
/** Tables that change by themselves (the projector's bookkeeping), not because of a request. */
// rate_limit_windows counts every request, refused ones included: that is what it is for.
const BOOKKEEPING_TABLES = new Set(['projection_checkpoints', 'projection_dead_letters', 'knex_migrations', 'knex_migrations_lock', 'rate_limit_windows']);
/**
 * Columns that change by design whenever a request is authenticated: a session's idle expiry slides
 * forward (at most once a minute), so on a slow run a refused request may move it. The rest of the row counts.
 */
const ROW_TEXT: Record<string, string> = { sessions: '(x.token_hash, x.user_id, x.csrf_token, x.created_at)::text' };
const OFFER_URL = 'https://www.revzilla.com/akrapovic-slip-on';

const HEADER_NAMES = ['x-min-position', 'if-match', 'idempotency-key', 'x-request-id', 'x-correlation-id', 'content-type', 'accept', 'x-csrf-token', 'accept-language', 'origin', 'referer', 'x-forwarded-for', 'range'];
const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s);
const headerValue = fc.oneof(
  fc.constantFrom(...PAYLOADS.filter(headerSafe), 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '*/*', '1, 2', '"1", W/"2"'),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
);

/** Percent-encodes every byte of the UTF-8 form (lone surrogates become U+FFFD, as a browser would send them). */
const percentEncode = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
/** Sometimes the text as is, when it can travel in a URL unencoded (invalid percent sequences included). */
const urlPiece = (s: string, raw: boolean) => (raw && /^[\x21-\x7e]*$/.test(s) && !/[?#/]/.test(s) ? s : percentEncode(s));

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}

/**
 * DESIGN §9 and issue 10: property-based fuzzing of every route the app serves (read from its
 * router) with hostile path parameters, query strings, headers and bodies — wrong types, huge and
 * odd unicode strings, deep nesting, prototype-pollution keys, SQL and script payloads — as an
 * anonymous visitor, a rider and an admin (with valid CSRF tokens, so requests reach validation).
 * Never a 5xx (bar the integrations deliberately off in tests), every refusal is problem+json,
 * a refused request changes no row of any table, and the server answers /health at the end.
 */
describe('hostile input', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let openApi: OpenApi;
  const sessions: Record<string, SignedIn | undefined> = { anonymous: undefined };
  const http = () => request(api.app.getHttpServer());
  /** The server's own account of a 500, quoted in the failure. */
  let lastServerError = '';
  const errorLog = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const failed = chunk.toString().split('\n').find((l) => l.includes('"msg":"request failed"'));
      if (failed) lastServerError = (JSON.parse(failed) as { err?: { message?: string } }).err?.message?.slice(0, 300) ?? failed.slice(0, 300);
      done();
    },
  });

  beforeAll(async () => {
    api = await startApiUnderTest({ LOG_LEVEL: 'error' }, { logDestination: errorLog });
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    sessions.rider = await signIn(api.app, 'fuzz-rider@example.com');
    sessions.admin = await signIn(api.app, 'fuzz-admin@example.com', 'admin');
    await http()
      .post('/api/admin/prices')
      .set('Cookie', sessions.admin.cookie)
      .set('X-CSRF-Token', sessions.admin.csrfToken)
      .send({ partId: IDS.exhaust, retailerId: IDS.revzilla, priceCents: 89_900, currency: 'USD', inStock: true, url: OFFER_URL, observedAt: new Date().toISOString() })
      .expect(201);
    const head = Number((await api.db.knex('events').max({ p: 'position' }))[0]!.p);
    expect(await waitForPosition(api.db.knex, ALL_PROJECTIONS.map((p) => p.name), BigInt(head), 30_000)).toBe(true);
    openApi = (await http().get('/api/docs/openapi.json').expect(200)).body;
  }, 60_000);

  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  function describeRoute(route: RouteKey): { queryNames: string[]; bodyFields: string[] } {
    const operation = openApi.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
    const queryNames = (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    const schema = resolve(operation?.requestBody?.content?.['application/json']?.schema);
    return { queryNames, bodyFields: Object.keys(schema?.properties ?? {}) };
  }
  function resolve(schema: Schema | undefined): Schema | undefined {
    if (!schema?.$ref) return schema;
    return openApi.components?.schemas?.[schema.$ref.split('/').at(-1)!];
  }

  /** Every row of every state table and the event log: equal fingerprints mean no data changed. */
  async function fingerprint(knex: Knex): Promise<Record<string, string>> {
    const tables: string[] = (await knex('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).pluck('table_name')).filter(
      (t: string) => !BOOKKEEPING_TABLES.has(t),
    );
    const { rows } = await knex.raw<{ rows: { t: string; digest: string | null }[] }>(
      tables.map((t) => `SELECT '${t}' AS t, md5(string_agg(${ROW_TEXT[t] ?? 'x::text'}, ',' ORDER BY x::text)) AS digest FROM public."${t}" x`).join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.t, r.digest ?? 'empty']));
  }

  const VALID_PARAMS: Record<string, string[]> = {
    idOrSlug: [IDS.exhaust, IDS.mt07_2021, '2021-yamaha-mt-07'],
    partId: [IDS.exhaust],
    retailerId: [IDS.revzilla],
    id: [IDS.exhaust],
    name: ['prices'],
    n: ['1'],
  };

  const fuzzed = () =>
    routeTable(api.app)
      .filter((r) => !r.path.includes('*'))
      .map(routeName);

  it('fuzzes every route the app serves', () => {
    // The list below is built when the suite is collected; this guards it against an empty router.
    expect(fuzzed().length).toBeGreaterThan(40);
  });

  // Route names are read once the app is up; jest needs the list at collection time, so one test walks them all.
  it(`never answers 5xx, answers refusals as problem+json and changes nothing when it refuses (${RUNS_PER_ROUTE} runs per route)`, async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const route of routeTable(api.app).filter((r) => !r.path.includes('*'))) {
      const name = routeName(route);
      const { queryNames, bodyFields } = describeRoute(route);
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      // Signing out or erasing the fuzzing accounts would leave the later routes nobody to fuzz as.
      const who = ['POST /auth/logout', 'DELETE /api/me'].includes(name) ? fc.constant('anonymous') : fc.constantFrom('anonymous', 'rider', 'admin');
      const arbitrary = fc.record({
        who,
        params: fc.tuple(...params.map((p) => fc.oneof(fc.constantFrom(...(VALID_PARAMS[p] ?? [IDS.exhaust])), hostileString(3000)))),
        rawParams: fc.boolean(),
        query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...queryNames, ...PROTOTYPE_KEYS, 'a[b]', 'a[]'), fc.string({ maxLength: 8 })), hostileString(2000)), { maxLength: 5 }),
        headers: fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), headerValue), { maxLength: 4 }),
        body: route.method === 'GET' ? fc.constant(undefined) : fc.option(hostileBody(bodyFields), { nil: undefined, freq: 8 }),
      });
      const details = await fc.check(
        fc.asyncProperty(arbitrary, async (input) => {
          requests++;
          let i = 0;
          const path = route.path.replace(/:(\w+)/g, () => urlPiece(input.params[i++] as string, input.rawParams));
          const query = input.query.map(([k, v]) => `${percentEncode(k)}=${urlPiece(v, input.rawParams)}`).join('&');
          const url = query ? `${path}?${query}` : path;
          const before = await fingerprint(api.db.knex);
          let req = http()[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url).redirects(0);
          const session = sessions[input.who];
          if (session) req = req.set('Cookie', session.cookie).set('X-CSRF-Token', session.csrfToken);
          if (input.body !== undefined) req = req.set('Content-Type', 'application/json');
          for (const [header, value] of input.headers) req = req.set(header, value);
          const sent = await (input.body === undefined ? req : req.send(input.body)).then(
            (res) => ({ res }),
            (error: Error & { code?: string }) => ({ error }),
          );
          if ('error' in sent) {
            // Node answers an oversized request (body over the limit, head over 16 KB) and closes the
            // socket without reading the rest, so a client still writing sees a reset. Anything else is a failure.
            const oversized = Buffer.byteLength(input.body ?? '') > 256 * 1024 || url.length > 16 * 1024;
            if (oversized && ['ECONNRESET', 'EPIPE'].includes(sent.error.code ?? '')) {
              expect((await http().get('/health')).status).toBe(200);
              expect(await fingerprint(api.db.knex)).toEqual(before);
              return;
            }
            throw new Error(`${name} ${url.slice(0, 160)} as ${input.who}: no answer (${sent.error.code ?? sent.error.message}), body ${Buffer.byteLength(input.body ?? '')} bytes`);
          }
          const { res } = sent;
          const problems: string[] = [];
          if (res.status >= 500 && !(res.status === 503 && UNCONFIGURED_503.has(name))) problems.push(`answered ${res.status} (server: ${lastServerError})`);
          if (res.status >= 400 && !/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) problems.push(`refusal ${res.status} is not problem+json`);
          if (res.status >= 400) {
            const after = await fingerprint(api.db.knex);
            const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
            if (changed.length > 0) problems.push(`refused with ${res.status} but changed ${changed.join(', ')}`);
          }
          if (problems.length > 0) throw new Error(`${name} ${url.slice(0, 160)} as ${input.who}: ${problems.join('; ')}`);
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
      );
      // The counterexample itself can be megabytes of text: report what went wrong and how to replay it.
      if (details.failed) failures.push(`${String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance).slice(0, 600)} (replay: MPP_FUZZ_SEED=${details.seed})`);
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(RUNS_PER_ROUTE * 40);
    await http().get('/health').expect(200);
  }, 170_000);

  describe('outbound links (/go)', () => {
    const attempts = [
      `/go/..%2F..%2F..%2Fetc%2Fpasswd/${IDS.revzilla}`,
      `/go/${IDS.exhaust}/..%2F..%2Fadmin`,
      `/go/${IDS.exhaust}/${IDS.revzilla}/../../api/admin/projections`,
      `/go/${IDS.exhaust}/${IDS.revzilla}%2F..%2F..`,
      `/go/%2e%2e/%2e%2e`,
      `/go//evil.example/${IDS.revzilla}`,
      `/go/https:%2F%2Fevil.example/${IDS.revzilla}`,
      `/go/${IDS.exhaust}/https%3A%2F%2Fevil.example`,
      `/go/${IDS.exhaust}/%5C%5Cevil.example`,
      `/go/${IDS.exhaust}/${IDS.revzilla}?url=https://evil.example`,
      `/go/${IDS.exhaust}/${IDS.revzilla}?redirect=//evil.example&next=https://evil.example`,
      `/go/${IDS.exhaust}/${IDS.revzilla}%00https://evil.example`,
      `/go/${IDS.exhaust}/${IDS.revzilla}#https://evil.example`,
    ];

    it.each(attempts)('never redirects %s anywhere but the recorded offer', async (path) => {
      const res = await http().get(path).set('Host', 'evil.example').redirects(0);
      expect(res.status).toBeLessThan(500);
      if (res.status === 302) expect(res.headers.location).toBe(OFFER_URL);
      else expect(res.headers.location).toBeUndefined();
    });

    it('redirects only to the recorded offer URL, whatever else the request carries', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constant(IDS.exhaust), hostileString(500)),
          fc.oneof(fc.constant(IDS.revzilla), hostileString(500)),
          fc.array(fc.tuple(fc.constantFrom('url', 'redirect', 'next', 'to', 'u', '__proto__'), fc.constantFrom('https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)')), { maxLength: 3 }),
          fc.boolean(),
          async (partId, retailerId, query, raw) => {
            const qs = query.map(([k, v]) => `${k}=${percentEncode(v)}`).join('&');
            const res = await http()
              .get(`/go/${urlPiece(partId, raw)}/${urlPiece(retailerId, raw)}${qs ? `?${qs}` : ''}`)
              .set('Referer', 'https://evil.example/')
              .set('X-Forwarded-Host', 'evil.example')
              .redirects(0);
            expect(res.status).toBeLessThan(500);
            if (res.status === 302) expect(res.headers.location).toBe(OFFER_URL);
            else expect(res.status).toBeGreaterThanOrEqual(400);
          },
        ),
        { numRuns: 150, seed: SEED },
      );
    });
  });
});
