import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, hydrated, inBrowserSuiteName, launchChromium, openWatched, SCREENSHOTS } from './support/rider-screens.js';
import { startStubApi, STUB_BIKE, STUB_EXHAUST, StubApi } from './support/stub-api.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

const suiteName = inBrowserSuiteName('web in a real browser');

describeInBrowser(suiteName, () => {
  let api: StubApi;
  let web: RunningWebServer;
  let browser: Browser;
  let context: BrowserContext;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    api = await startStubApi();
    web = await startWebServer({ API_URL: api.url });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.close();
  });

  const open = (path: string): Promise<Page> => openWatched(context, web.url + path, consoleErrors, path);

  it('picks a bike with the year -> make -> model cascade and opens its parts page', async () => {
    const page = await open('/');
    await hydrated(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'home.png'), fullPage: true });
    await page.selectOption('#home-year', '2021');
    await page.selectOption('#home-make', 'Yamaha');
    await page.selectOption('#home-model', 'MT-07');
    await page.getByRole('button', { name: 'Show compatible parts' }).click();
    await page.waitForURL(`**/bikes/${STUB_BIKE.slug}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('2021 Yamaha MT-07 compatible parts');
    await expect(page.title()).resolves.toBe('2021 Yamaha MT-07 compatible parts');
    await page.getByText('Slip-On Line (Titanium)').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'bike.png'), fullPage: true });
    await page.close();
  });

  it('hydrates a server-rendered page without fetching its data again', async () => {
    const page = await context.newPage();
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) apiCalls.push(request.url());
    });
    await page.goto(`${web.url}/bikes/${STUB_BIKE.slug}`);
    await hydrated(page);
    await page.waitForLoadState('networkidle');
    expect(apiCalls).toEqual([]);
    await page.close();
  });

  it('filters a bike page through the URL query', async () => {
    const page = await open(`/bikes/${STUB_BIKE.slug}`);
    await hydrated(page);
    await page.selectOption('#filter-status', 'verified');
    await page.fill('#filter-max-price', '950');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=verified/);
    expect(page.url()).toContain('maxPrice=950');
    await page.close();
  });

  it('draws the price-history chart after hydration, on top of the server-rendered table', async () => {
    const page = await open(`/parts/${STUB_EXHAUST.slug}?bike=${STUB_BIKE.slug}`);
    await page.locator('canvas[data-chart-ready="true"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('table', { hasText: 'Daily lowest price' }).count()).resolves.toBe(1);
    await expect(page.getByText("We earn a commission from purchases. This doesn't affect our compatibility data.").count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'part.png'), fullPage: true });
    await page.close();
  });

  it('signs in with the dev form, verifies a fit and shows the new verification at once', async () => {
    const page = await open(`/sign-in?returnUrl=/parts/${STUB_EXHAUST.slug}`);
    await hydrated(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png'), fullPage: true });
    await page.fill('#dev-email', 'rider@example.com');
    await page.fill('#dev-name', 'Test Rider');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`**/parts/${STUB_EXHAUST.slug}`);
    await page.locator('#verify-fits-yes').check();
    await page.fill('#verify-notes', 'Fitted in 20 minutes.');
    await page.getByRole('button', { name: 'Submit verification' }).click();
    await page.locator('tr.is-new', { hasText: 'Fitted in 20 minutes.' }).waitFor();

    const submitted = api.requests.filter((call) => call.method === 'POST' && call.url === '/api/verifications').at(-1);
    expect(submitted?.headers['x-csrf-token']).toBe('csrf-token-1');
    expect(submitted?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    const rereads = api.requests.filter((call) => call.headers['x-min-position']).map((call) => call.url);
    expect(rereads).toContain(`/api/parts/${STUB_EXHAUST.id}/verifications`);
    await page.screenshot({ path: join(SCREENSHOTS, 'part-verified.png'), fullPage: true });
    await page.close();
  });

  it('plans a build: picks the bike, adds parts, and sees the warning and the total', async () => {
    const page = await open('/builds/new');
    await hydrated(page);
    // The bike page visited earlier became the garage bike, which a new build starts on.
    const change = page.getByRole('button', { name: 'Change' });
    if ((await change.count()) > 0) await change.click();
    await page.selectOption('#build-year', '2021');
    await page.selectOption('#build-make', 'Yamaha');
    await page.selectOption('#build-model', 'MT-07');
    await page.getByRole('button', { name: 'Use this bike' }).click();
    await page.fill('#build-name', 'Track day');
    await page.getByRole('button', { name: 'Create build' }).click();
    await page.waitForURL(/\/builds\/build-\d+/);
    await page.fill('#add-part-query', 'sliders');
    await page.getByRole('button', { name: 'Add Aero Frame Sliders' }).click();
    await page.getByText('Aero Frame Sliders is not known to fit this bike.').waitFor();
    await page.fill('#add-part-query', 'slip-on');
    await page.getByRole('button', { name: 'Add Slip-On Line (Titanium)' }).click();
    await page.locator('tfoot', { hasText: '$899.00' }).waitFor();
    // The build's saves; choosing the bike also remembers it on the account (PUT /api/me/rider-preferences).
    const puts = api.requests.filter((call) => call.method === 'PUT' && call.url.startsWith('/api/builds/'));
    expect(puts.map((call) => call.headers['if-match'])).toEqual(['1', '2']);
    await page.screenshot({ path: join(SCREENSHOTS, 'build.png'), fullPage: true });
    await page.close();
  });

  it('renders search, Pro and not-found pages', async () => {
    for (const [path, file] of [
      ['/search?q=akra', 'search.png'],
      ['/pro', 'pro.png'],
      ['/account', 'account.png'],
      ['/builds', 'my-builds.png'],
      ['/bikes/1901-nobody-nothing', 'not-found.png'],
    ] as const) {
      const page = await open(path);
      await hydrated(page);
      await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
      await page.close();
    }
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${web.url}/bikes/${STUB_BIKE.slug}`);
    await phone.screenshot({ path: join(SCREENSHOTS, 'bike-phone.png'), fullPage: true });
    await phone.close();
  });

  it('logs no errors in the browser console', () => {
    // The deliberate 404 page logs its own status line; anything else is a real error.
    expect(consoleErrors.filter((line) => !/status of 404/.test(line))).toEqual([]);
  });
});
