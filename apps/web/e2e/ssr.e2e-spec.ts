import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { startStubApi, STUB_BIKE, STUB_EXHAUST, STUB_PUBLIC_BUILD_ID, StubApi } from './support/stub-api.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

/**
 * The built SSR server, driven over HTTP without JavaScript, in front of a stub of the API.
 * What a crawler or a rider without JavaScript gets must be the whole page.
 */
describe('web SSR server', () => {
  let api: StubApi;
  let web: RunningWebServer;

  beforeAll(async () => {
    api = await startStubApi();
    web = await startWebServer({
      API_URL: api.url,
      PUBLIC_BASE_URL: 'https://motopartpicker.example',
      NG_ALLOWED_HOSTS: 'www.mpp.example',
    });
  });

  afterAll(async () => {
    await web?.stop();
    await api?.close();
  });

  async function page(path: string, init?: RequestInit): Promise<{ status: number; html: string }> {
    const response = await fetch(web.url + path, init);
    return { status: response.status, html: await response.text() };
  }

  it('server-renders the home page with the year -> make -> model cascade', async () => {
    const { status, html } = await page('/');
    expect(status).toBe(200);
    expect(html).not.toMatch(/<app-root><\/app-root>/);
    expect(html).toMatch(/<select[^>]*id="home-year"/);
    expect(html).toMatch(/<option[^>]*value="2021"[^>]*>2021<\/option>/);
    expect(html).toMatch(/<select[^>]*id="home-make"/);
    expect(html).toMatch(/<link rel="canonical" href="https:\/\/motopartpicker\.example\/"/);
  });

  it('server-renders the recent community verifications on the home page', async () => {
    const { html } = await page('/');
    expect(html).toMatch(/<h2[^>]*>Recent community verifications<\/h2>/);
    expect(html).toContain(`href="/parts/${STUB_EXHAUST.slug}?bike=${STUB_BIKE.slug}"`);
    expect(html).toContain('Sam R.');
    const recent = api.requests.filter((call) => call.url.startsWith('/api/verifications/recent')).at(-1);
    expect(recent?.url).toBe('/api/verifications/recent?limit=6');
  });

  it('server-renders a bike page with its title, parts grouped by category, statuses and prices', async () => {
    const { status, html } = await page(`/bikes/${STUB_BIKE.slug}`);
    expect(status).toBe(200);
    expect(html).toContain('<title>2021 Yamaha MT-07 compatible parts</title>');
    expect(html).toMatch(/<h1[^>]*>2021 Yamaha MT-07 compatible parts<\/h1>/);
    for (const name of ['Slip-On Line (Titanium)', 'FA252HH Sintered Brake Pads', 'Aero Frame Sliders']) {
      expect(html).toContain(name);
    }
    expect(html).toContain('$899.00');
    expect(html).toContain('$42.95');
    expect(html).toMatch(/class="badge badge--verified"[^>]*>Verified fit</);
    expect(html).toMatch(/class="badge badge--disputed"[^>]*>Disputed</);
    expect(html).toMatch(/12 confirmations ·\s+1 refutation\b/);
    expect(html).toMatch(/<h2[^>]*>Exhaust/);
    expect(html).toMatch(/<h2[^>]*>Brake pads/);
  });

  it('sends server-side API calls straight to API_URL, not through its own proxy', async () => {
    const before = api.requests.length;
    await page(`/bikes/${STUB_BIKE.slug}?category=exhaust&maxPrice=1000`);
    const calls = api.requests.slice(before).filter((call) => call.url.startsWith(`/api/bikes/${STUB_BIKE.slug}/parts`));
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toContain('category=exhaust');
    expect(calls[0].url).toContain('maxPrice=100000');
    expect(calls[0].headers['x-forwarded-host']).toBeUndefined();
    expect(calls[0].headers['x-forwarded-for']).toBeDefined();
  });

  it('puts the API answers in the page so hydration does not fetch them again', async () => {
    const { html } = await page(`/bikes/${STUB_BIKE.slug}`);
    const state = /<script id="ng-state" type="application\/json">(.*?)<\/script>/s.exec(html);
    expect(state).not.toBeNull();
    expect(state![1]).toContain('"slug":"2021-yamaha-mt-07"');
  });

  it('server-renders a part page with the price table, stale marks, disclosure and JSON-LD', async () => {
    const { status, html } = await page(`/parts/${STUB_EXHAUST.slug}`);
    expect(status).toBe(200);
    expect(html).toContain("We earn a commission from purchases. This doesn't affect our compatibility data.");
    expect(html).toMatch(/<table[^>]* class="price-table[ "]/);
    expect(html).toContain('RevZilla');
    expect(html).toContain('$929.99');
    expect(html).toMatch(/<tr[^>]* class="is-stale[ "]/);
    expect(html).toContain(`href="/go/${STUB_EXHAUST.id}/ret-revzilla"`);
    expect(html).toContain('Daily lowest price of Akrapovic Slip-On Line (Titanium)');
    expect(html).not.toContain('<canvas');
    expect(html).toContain('Hash chain intact');
    expect(html).toContain('Bolted straight on');
    const jsonLd = /<script id="mpp-json-ld" type="application\/ld\+json">(.*?)<\/script>/s.exec(html);
    expect(jsonLd).not.toBeNull();
    const product = JSON.parse(jsonLd![1]);
    expect(product['@type']).toBe('Product');
    expect(product.offers[0]).toMatchObject({ '@type': 'Offer', price: '899.00', priceCurrency: 'USD' });
    expect(html).toContain(`<link rel="canonical" href="https://motopartpicker.example/parts/${STUB_EXHAUST.slug}"`);
  });

  it('answers 404 with a not-found page for unknown bikes, parts and paths', async () => {
    const bike = await page('/bikes/1901-nobody-nothing');
    expect(bike.status).toBe(404);
    expect(bike.html).toContain('Bike not found');
    expect((await page('/parts/no-such-part')).status).toBe(404);
    expect((await page('/no/such/page')).status).toBe(404);
  });

  it('shows Google and the dev sign-in form when GET /auth/providers offers both', async () => {
    const { html } = await page('/sign-in');
    expect(html).toContain('Developer sign-in');
    expect(html).toContain('href="/auth/google"');
    expect(api.requests.some((call) => call.url === '/auth/providers')).toBe(true);
    expect(api.requests.filter((call) => call.url === '/auth/dev-login' && call.method === 'POST')).toHaveLength(0);
  });

  it('sends only sort orders the API accepts, whatever the URL says', async () => {
    const sorted = await page(`/bikes/${STUB_BIKE.slug}?sort=price_desc`);
    expect(sorted.status).toBe(200);
    expect(api.requests.filter((call) => call.url.startsWith(`/api/bikes/${STUB_BIKE.slug}/parts`)).at(-1)?.url).toContain('sort=price_desc');
    const unknown = await page(`/bikes/${STUB_BIKE.slug}?sort=cheapest`);
    expect(unknown.status).toBe(200);
    expect(unknown.html).toContain('Slip-On Line (Titanium)');
  });

  it('server-renders search results with facets', async () => {
    const { status, html } = await page('/search?q=akra');
    expect(status).toBe(200);
    expect(html).toContain('Akrapovic Slip-On Line (Titanium)');
    expect(html).toMatch(/1 result/);
    expect(html).toMatch(/<h2[^>]*>Category<\/h2>/);
  });

  it('server-renders a public build with its part list and total price', async () => {
    const { status, html } = await page(`/builds/${STUB_PUBLIC_BUILD_ID}`);
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>Loud and stopping<\/h1>/);
    expect(html).toContain('FA252HH Sintered Brake Pads');
    expect(html).toContain('$984.90');
    expect(html).toContain(`<link rel="canonical" href="https://motopartpicker.example/builds/${STUB_PUBLIC_BUILD_ID}"`);
  });

  it('renders signed-in pages with the rider cookie forwarded to the API', async () => {
    const { html } = await page('/account', { headers: { cookie: 'mpp_session=stub-session; csrf=csrf-token-1' } });
    expect(html).toContain('Test Rider');
    const meCall = api.requests.filter((call) => call.url === '/api/me').at(-1);
    expect(meCall?.headers.cookie).toContain('mpp_session=stub-session');
  });

  it('proxies /api with cookies passed through and Set-Cookie returned', async () => {
    const response = await fetch(`${web.url}/api/echo`, { headers: { cookie: 'session=abc; csrf=def' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ cookie: 'session=abc; csrf=def' });
    expect(response.headers.get('set-cookie')).toBe('echo=1; Path=/');
    const seen = api.requests.filter((call) => call.url === '/api/echo').at(-1);
    expect(seen?.headers['x-forwarded-host']).toBe(new URL(web.url).host);
  });

  it('proxies /auth with the request body streamed and every Set-Cookie returned', async () => {
    const response = await fetch(`${web.url}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'rider@example.com', displayName: 'Rider' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([
      'mpp_session=stub-session; Path=/; HttpOnly; SameSite=Lax',
      'csrf=csrf-token-1; Path=/; SameSite=Lax',
    ]);
    const seen = api.requests.filter((call) => call.url === '/auth/dev-login').at(-1);
    expect(JSON.parse(seen!.body)).toEqual({ email: 'rider@example.com', displayName: 'Rider' });
  });

  it('proxies API errors with their status and does not follow /go redirects', async () => {
    const missing = await fetch(`${web.url}/api/no-such-route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const go = await fetch(`${web.url}/go/${STUB_EXHAUST.id}/ret-revzilla`, { redirect: 'manual' });
    expect(go.status).toBe(302);
    expect(go.headers.get('location')).toBe('https://retailer.example/akra');
  });

  it('serves robots.txt and a sitemap of the bikes and parts', async () => {
    const robots = await page('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.html).toContain('User-agent: *');
    expect(robots.html).toContain('Sitemap: https://motopartpicker.example/sitemap.xml');
    const sitemap = await page('/sitemap.xml');
    expect(sitemap.status).toBe(200);
    expect(sitemap.html).toContain(`<loc>https://motopartpicker.example/bikes/${STUB_BIKE.slug}</loc>`);
    expect(sitemap.html).toContain(`<loc>https://motopartpicker.example/parts/${STUB_EXHAUST.slug}</loc>`);
    expect(sitemap.html.match(/<loc>[^<]*\/parts\//g)).toHaveLength(3);
  });

  function statusForHost(host: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${web.url}/`, { headers: { host } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end();
    });
  }

  it('refuses a Host header it does not know, and accepts the public host and NG_ALLOWED_HOSTS', async () => {
    await expect(statusForHost('attacker.example')).resolves.toBe(400);
    await expect(statusForHost('motopartpicker.example')).resolves.toBe(200);
    await expect(statusForHost('www.mpp.example')).resolves.toBe(200);
  });
});

describe('web SSR server in front of an API without dev sign-in', () => {
  let api: StubApi;
  let web: RunningWebServer;

  beforeAll(async () => {
    api = await startStubApi({ devLogin: false });
    web = await startWebServer({ API_URL: api.url });
  });

  afterAll(async () => {
    await web?.stop();
    await api?.close();
  });

  it('hides the dev sign-in form because GET /auth/providers says devLogin: false', async () => {
    const html = await (await fetch(`${web.url}/sign-in`)).text();
    expect(html).toContain('Continue with Google');
    expect(html).not.toContain('Developer sign-in');
    expect(api.requests.filter((call) => call.url === '/auth/dev-login')).toHaveLength(0);
  });
});

describe('web SSR server in front of an API with no sign-in method configured', () => {
  let api: StubApi;
  let web: RunningWebServer;

  beforeAll(async () => {
    api = await startStubApi({ devLogin: false, google: false });
    web = await startWebServer({ API_URL: api.url });
  });

  afterAll(async () => {
    await web?.stop();
    await api?.close();
  });

  it('offers no dead Google button and says sign-in is not configured', async () => {
    const html = await (await fetch(`${web.url}/sign-in`)).text();
    expect(html).not.toContain('Continue with Google');
    expect(html).not.toContain('Developer sign-in');
    expect(html).toContain('Sign-in is not configured on this server yet.');
  });
});
