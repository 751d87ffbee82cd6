import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitForPosition } from '@mpp/projection-runner';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { routeName, routeTable } from './testing/route-table.js';

const ROLES = ['anonymous', 'user', 'other', 'moderator', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Signed = Exclude<Role, 'anonymous'>;

interface Call {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Another session of the same person, for routes that end the session they are called with. */
  session?: SignedIn;
}

interface Expectation {
  /** Builds a fresh request for one role (resources are created anew, so calls do not interfere). */
  call: (role: Role) => Promise<Call> | Call;
  /** Expected status per role, in ROLES order: anonymous, user (the owner), other user, moderator, admin. */
  expect: [number, number, number, number, number];
}

/**
 * DESIGN §6 and §9: who may call what. Every route the running app has (read from its router) must
 * have a row here, so a new route cannot ship without someone deciding who may call it; a row for
 * a route that no longer exists fails too. Each row is called as each role, with the expected
 * status; every cookie-authenticated mutation is also called without its CSRF token (403).
 */
describe('authorisation matrix', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  const sessions = {} as Record<Signed, SignedIn>;
  const http = () => request(api.app.getHttpServer());
  const mutate = (method: 'post' | 'put', path: string, who: SignedIn, body: object, headers: Record<string, string> = {}) =>
    http()[method](path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).set(headers).send(body);

  async function ownBuild(visibility: 'private' | 'unlisted'): Promise<string> {
    const res = await mutate('post', '/api/builds', sessions.user, { name: 'Owned', bikeId: IDS.mt07_2021, visibility }).expect(201);
    return res.body.id;
  }
  async function ownVerification(): Promise<string> {
    const res = await mutate('post', '/api/verifications', sessions.user, { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: true }).expect(201);
    return res.body.verificationId;
  }
  async function ownAlert(): Promise<string> {
    const res = await mutate('post', '/api/alerts', sessions.user, { partId: IDS.exhaust, targetPriceCents: 50_000 }).expect(201);
    return res.body.id;
  }
  let privateBuild: string;

  const PUBLIC_GET = (path: string, status = 200): Expectation => ({ call: () => ({ path }), expect: [status, status, status, status, status] });
  const SIGNED_IN = (call: Expectation['call'], ok: number): Expectation => ({ call, expect: [401, ok, ok, ok, ok] });
  const OWNER_ONLY = (call: Expectation['call'], ok: number): Expectation => ({ call, expect: [401, ok, 403, 403, 403] });
  const ADMIN_ONLY = (call: Expectation['call'], ok: number): Expectation => ({ call, expect: [401, 403, 403, 403, ok] });

  const MATRIX: Record<string, Expectation> = {
    'GET /health': PUBLIC_GET('/health'),
    'GET /ready': PUBLIC_GET('/ready'),
    'GET /metrics': PUBLIC_GET('/metrics'),
    'GET /api/docs': PUBLIC_GET('/api/docs'),
    'GET /api/docs/': PUBLIC_GET('/api/docs/'),
    'GET /api/docs/index.html': PUBLIC_GET('/api/docs/index.html'),
    // Registered by Swagger's static handler; the file is not shipped in the package.
    'GET /api/docs/LICENSE': PUBLIC_GET('/api/docs/LICENSE', 404),
    'GET /api/docs/openapi.json': PUBLIC_GET('/api/docs/openapi.json'),
    'GET /api/docs-yaml': PUBLIC_GET('/api/docs-yaml'),
    'GET /api/docs/swagger-ui-init.js': PUBLIC_GET('/api/docs/swagger-ui-init.js'),
    'GET /api/docs/docs/swagger-ui-init.js': PUBLIC_GET('/api/docs/docs/swagger-ui-init.js'),
    'GET /api/bikes': PUBLIC_GET('/api/bikes'),
    'GET /api/bikes/options': PUBLIC_GET('/api/bikes/options?year=2021'),
    'GET /api/bikes/:idOrSlug': PUBLIC_GET(`/api/bikes/${IDS.mt07_2021}`),
    'GET /api/bikes/:idOrSlug/parts': PUBLIC_GET(`/api/bikes/${IDS.mt07_2021}/parts`),
    'GET /api/parts': PUBLIC_GET('/api/parts'),
    'GET /api/parts/:idOrSlug': PUBLIC_GET(`/api/parts/${IDS.exhaust}`),
    'GET /api/parts/:idOrSlug/verifications': PUBLIC_GET(`/api/parts/${IDS.exhaust}/verifications`),
    'GET /api/parts/:idOrSlug/compatibility': PUBLIC_GET(`/api/parts/${IDS.exhaust}/compatibility?bikeId=${IDS.mt07_2021}`),
    'GET /api/retailers': PUBLIC_GET('/api/retailers'),
    'GET /api/prices/:partId': PUBLIC_GET(`/api/prices/${IDS.exhaust}`),
    'GET /api/prices/:partId/history': PUBLIC_GET(`/api/prices/${IDS.exhaust}/history`),
    'GET /api/search': PUBLIC_GET('/api/search?q=exhaust'),
    'GET /api/verifications/recent': PUBLIC_GET('/api/verifications/recent'),
    'GET /api/billing/pro-price': PUBLIC_GET('/api/billing/pro-price?region=GB'),
    // No AUDIT_SIGNING_KEY in this suite: the key is a clear 503, the (empty) list still answers.
    'GET /api/audit/public-key': PUBLIC_GET('/api/audit/public-key', 503),
    'GET /api/audit/checkpoints': PUBLIC_GET('/api/audit/checkpoints'),
    'GET /api/audit/checkpoints/latest': PUBLIC_GET('/api/audit/checkpoints/latest', 404),
    // Anyone may ask; a well-formed checkpoint then meets the missing key (503).
    'POST /api/audit/checkpoints/consistency': {
      call: () => ({ path: '/api/audit/checkpoints/consistency', body: { checkpoint: { root: '0'.repeat(64), streams: 0, position: '0', createdAt: '2026-12-03T00:00:00.000Z' }, signature: 'AAAA' } }),
      expect: [503, 503, 503, 503, 503],
    },
    'GET /api/verifications/:id/proof': { call: async () => ({ path: `/api/verifications/${await ownVerification()}/proof` }), expect: [409, 409, 409, 409, 409] },
    'GET /api/sitemap.xml': PUBLIC_GET('/api/sitemap.xml'),
    // A catalog this small fits one sitemap.xml, so there is no split file: public, and a 404.
    'GET /api/sitemap-:n.xml': PUBLIC_GET('/api/sitemap-1.xml', 404),
    'GET /auth/providers': PUBLIC_GET('/auth/providers'),
    // Google keys are not configured in tests: a clear 503 for everyone.
    'GET /auth/google': PUBLIC_GET('/auth/google', 503),
    'GET /auth/google/callback': PUBLIC_GET('/auth/google/callback', 503),
    'GET /go/:partId/:retailerId': PUBLIC_GET(`/go/${IDS.exhaust}/${IDS.revzilla}`, 302),
    // Development only (AUTH_DEV_LOGIN / NODE_ENV != production): see docs/reliability.md.
    'GET /api/dev/mailbox': PUBLIC_GET('/api/dev/mailbox'),
    // Signing in ends the session the request came with (no fixation): a throwaway one, like logout's.
    'POST /auth/dev-login': {
      call: async (role) => ({
        path: '/auth/dev-login',
        body: { email: 'someone@example.com', displayName: 'someone' },
        session: role === 'anonymous' ? undefined : await signIn(api.app, emailOf(role), roleOf(role)),
      }),
      expect: [200, 200, 200, 200, 200],
    },
    'POST /api/affiliate/click': { call: () => ({ path: '/api/affiliate/click', body: { partId: IDS.exhaust, retailerId: IDS.revzilla } }), expect: [204, 204, 204, 204, 204] },
    // No STRIPE_WEBHOOK_SECRET in tests: the webhook is off for everyone.
    'POST /api/webhooks/stripe': { call: () => ({ path: '/api/webhooks/stripe', body: {} }), expect: [503, 503, 503, 503, 503] },

    'GET /api/me': SIGNED_IN(() => ({ path: '/api/me' }), 200),
    'PUT /api/me/rider-preferences': SIGNED_IN(() => ({ path: '/api/me/rider-preferences', body: { region: 'GB' } }), 200),
    'PUT /api/me/preferences': SIGNED_IN(() => ({ path: '/api/me/preferences', body: { weeklyDigest: true } }), 200),
    'POST /auth/logout': SIGNED_IN(async (role) => ({ path: '/auth/logout', session: role === 'anonymous' ? undefined : await signIn(api.app, emailOf(role), roleOf(role)) }), 204),
    'GET /api/verifications/mine': SIGNED_IN(() => ({ path: `/api/verifications/mine?partId=${IDS.exhaust}` }), 200),
    // Its own account per role: ending every session of emailOf(role) would sign the other cases out.
    'POST /auth/logout-everywhere': SIGNED_IN(async (role) => ({ path: '/auth/logout-everywhere', session: role === 'anonymous' ? undefined : await signIn(api.app, `everywhere-${emailOf(role)}`, roleOf(role)) }), 204),
    // Erasure: each role erases an account of its own, so the other cases keep theirs.
    'DELETE /api/me': SIGNED_IN(async (role) => ({ path: '/api/me', session: role === 'anonymous' ? undefined : await signIn(api.app, `erased-${emailOf(role)}`, roleOf(role)) }), 204),
    'DELETE /api/admin/users/:id': ADMIN_ONLY(async () => ({ path: `/api/admin/users/${(await signIn(api.app, `erased-by-admin-${randomUUID()}@example.com`)).userId}` }), 204),
    'GET /api/builds': SIGNED_IN(() => ({ path: '/api/builds' }), 200),
    'POST /api/builds': SIGNED_IN(() => ({ path: '/api/builds', body: { name: 'Mine', bikeId: IDS.mt07_2021 } }), 201),
    'POST /api/verifications': SIGNED_IN(() => ({ path: '/api/verifications', body: { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true } }), 201),
    'GET /api/alerts': SIGNED_IN(() => ({ path: '/api/alerts' }), 200),
    // Stripe is not configured in tests: a signed-in rider gets the clear 503.
    'POST /api/billing/checkout': SIGNED_IN(() => ({ path: '/api/billing/checkout', body: {} }), 503),
    'POST /api/billing/portal': SIGNED_IN(() => ({ path: '/api/billing/portal', body: {} }), 503),
    // Price alerts are a Pro feature; only `user` has the Pro plan here.
    'POST /api/alerts': { call: () => ({ path: '/api/alerts', body: { partId: IDS.pads, targetPriceCents: 1000 } }), expect: [401, 201, 403, 403, 403] },

    // A private build: its owner sees it; anyone else is told it is private, not shown it.
    'GET /api/builds/:id': { call: () => ({ path: `/api/builds/${privateBuild}` }), expect: [401, 200, 403, 403, 403] },
    'PUT /api/builds/:id': OWNER_ONLY(async () => ({ path: `/api/builds/${await ownBuild('private')}`, body: { name: 'Renamed' }, headers: { 'If-Match': '"1"' } }), 200),
    'POST /api/builds/:id/share': OWNER_ONLY(async () => ({ path: `/api/builds/${await ownBuild('unlisted')}/share`, body: { email: 'friend@example.com' } }), 202),
    'POST /api/verifications/:id/retract': OWNER_ONLY(async () => ({ path: `/api/verifications/${await ownVerification()}/retract`, body: {} }), 200),
    'DELETE /api/builds/:id': OWNER_ONLY(async () => ({ path: `/api/builds/${await ownBuild('private')}`, headers: { 'If-Match': '"1"' } }), 200),
    'DELETE /api/alerts/:id': OWNER_ONLY(async () => ({ path: `/api/alerts/${await ownAlert()}` }), 204),

    'POST /api/admin/verifications/:id/moderate': {
      call: async () => ({ path: `/api/admin/verifications/${await ownVerification()}/moderate`, body: { action: 'hide', reason: 'spam' } }),
      expect: [401, 403, 403, 200, 200],
    },
    'GET /api/admin/verifications/hidden': { call: () => ({ path: '/api/admin/verifications/hidden' }), expect: [401, 403, 403, 200, 200] },
    'POST /api/admin/catalog/import': ADMIN_ONLY(() => ({ path: '/api/admin/catalog/import', body: { bikes: [], parts: [], retailers: [], fitment: [] } }), 201),
    'POST /api/admin/prices': ADMIN_ONLY(
      () => ({
        path: '/api/admin/prices',
        body: { partId: IDS.pads, retailerId: IDS.revzilla, priceCents: 4999, currency: 'USD', inStock: true, url: 'https://www.revzilla.com/pads', observedAt: new Date().toISOString() },
      }),
      201,
    ),
    'GET /api/admin/projections': ADMIN_ONLY(() => ({ path: '/api/admin/projections' }), 200),
    'POST /api/admin/projections/:name/rebuild': ADMIN_ONLY(() => ({ path: '/api/admin/projections/prices/rebuild', body: {} }), 202),
    'GET /api/admin/jobs': ADMIN_ONLY(() => ({ path: '/api/admin/jobs' }), 200),
    'POST /api/admin/audit/checkpoints': ADMIN_ONLY(() => ({ path: '/api/admin/audit/checkpoints', body: {} }), 503),
    'GET /api/admin/data-quality': ADMIN_ONLY(() => ({ path: '/api/admin/data-quality' }), 200),
  };

  const emailOf = (role: Signed) => `matrix-${role}@example.com`;
  const roleOf = (role: Signed) => (role === 'moderator' || role === 'admin' ? role : 'user');

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    for (const role of ROLES) if (role !== 'anonymous') sessions[role] = await signIn(api.app, emailOf(role), roleOf(role));
    await api.db.knex('users').where({ id: sessions.user.userId }).update({ plan: 'pro' });
    await mutate('post', '/api/admin/prices', sessions.admin, {
      partId: IDS.exhaust, retailerId: IDS.revzilla, priceCents: 89_900, currency: 'USD', inStock: true, url: 'https://www.revzilla.com/akrapovic', observedAt: new Date().toISOString(),
    }).expect(201);
    privateBuild = await ownBuild('private');
    const head = Number((await api.db.knex('events').max({ p: 'position' }))[0]!.p);
    expect(await waitForPosition(api.db.knex, ALL_PROJECTIONS.map((p) => p.name), BigInt(head), 30_000)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('has an expectation for every route the app serves, and none for a route it does not', () => {
    const served = routeTable(api.app)
      .filter((r) => !r.path.includes('*'))
      .map(routeName);
    expect(served.length).toBeGreaterThan(40);
    expect({ missing: served.filter((r) => !(r in MATRIX)), stale: Object.keys(MATRIX).filter((r) => !served.includes(r)) }).toEqual({ missing: [], stale: [] });
  });

  const send = async (method: string, call: Call, session: SignedIn | undefined, withCsrf: boolean) => {
    let req = http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](call.path).redirects(0);
    if (session) req = req.set('Cookie', session.cookie);
    if (session && withCsrf) req = req.set('X-CSRF-Token', session.csrfToken);
    if (call.headers) req = req.set(call.headers);
    return call.body === undefined ? req : req.send(call.body as object);
  };

  it.each(Object.keys(MATRIX))('%s answers each role as expected', async (name) => {
    const [method] = name.split(' ') as [string];
    const row = MATRIX[name]!;
    const got: Record<string, number> = {};
    for (const role of ROLES) {
      const call = await row.call(role);
      const session = role === 'anonymous' ? undefined : (call.session ?? sessions[role]);
      const res = await send(method, call, session, true);
      got[role] = res.status;
      if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(got).toEqual(Object.fromEntries(ROLES.map((role, i) => [role, row.expect[i]])));

    // A cookie-authenticated mutation without the double-submitted token is refused before anything else.
    if (method !== 'GET' && row.expect[0] === 401) {
      const call = await row.call('user');
      const res = await send(method, call, call.session ?? sessions.user, false);
      expect({ route: name, status: res.status }).toEqual({ route: name, status: 403 });
    }
  });

  it('refuses a session cookie that is not a session, like no cookie at all', async () => {
    await http().get('/api/me').set('Cookie', `mpp_session=${randomUUID()}`).expect(401);
  });
});
