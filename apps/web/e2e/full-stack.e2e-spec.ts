import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, hydrated, inBrowserSuiteName, launchChromium, openWatched, SCREENSHOTS } from './support/rider-screens.js';
import { FULL_STACK_BIKE_SLUG, FULL_STACK_EXHAUST } from './support/full-stack-catalog.js';
import { RealStack, startRealStack } from './support/full-stack.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

const suiteName = inBrowserSuiteName('web on the real stack: PostgreSQL, API, projector, SSR server');

const NOTE = 'Fitted with the stock link pipe, no ECU flash.';

describeInBrowser(suiteName, () => {
  let stack: RealStack;
  let web: RunningWebServer;
  let browser: Browser;
  let context: BrowserContext;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startRealStack();
    web = await startWebServer({ API_URL: stack.apiUrl });
    browser = await launchChromium();
    // One context for the whole journey: the rider signs in once and keeps the session cookie.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await stack?.stop();
  });

  const open = (path: string): Promise<Page> => openWatched(context, web.url + path, consoleErrors, path);

  /** A property on `window` survives client-side navigation and dies with a reload. */
  async function markDocument(page: Page): Promise<void> {
    await page.evaluate(() => ((window as unknown as { mppNoReload: boolean }).mppNoReload = true));
  }
  async function stillSameDocument(page: Page): Promise<boolean> {
    return page.evaluate(() => (window as unknown as { mppNoReload?: boolean }).mppNoReload === true);
  }

  it('picks the bike through the year -> make -> model cascade, fed by the real catalog', async () => {
    const page = await open('/');
    await hydrated(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'full-stack-home.png'), fullPage: true });
    await page.selectOption('#home-year', '2021');
    await page.selectOption('#home-make', 'Yamaha');
    await page.selectOption('#home-model', 'MT-07');
    await page.getByRole('button', { name: 'Show compatible parts' }).click();
    await page.waitForURL(`**/bikes/${FULL_STACK_BIKE_SLUG}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('2021 Yamaha MT-07 compatible parts');
    for (const name of ['Slip-On Line (Titanium)', 'R-77 Full System', 'HH Sintered Brake Pads']) {
      await page.locator('.part-row__name', { hasText: name }).waitFor();
    }
    await page.getByText('$899.00').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'full-stack-bike.png'), fullPage: true });
    await page.close();
  });

  it('opens a part from the bike page: prices with the stale offer marked, history, fitment, audit trail', async () => {
    const page = await open(`/bikes/${FULL_STACK_BIKE_SLUG}`);
    await hydrated(page);
    await page.locator('.part-row__name', { hasText: FULL_STACK_EXHAUST.name }).click();
    await page.waitForURL(`**/parts/${FULL_STACK_EXHAUST.slug}?bike=${FULL_STACK_BIKE_SLUG}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(FULL_STACK_EXHAUST.name);
    const table = page.locator('table.price-table');
    await expect(table.locator('tbody tr').count()).resolves.toBe(2);
    await expect(table.locator('tr.is-stale').textContent()).resolves.toContain('Cycle Gear');
    await expect(table.locator('a[href^="/go/"]').count()).resolves.toBe(2);
    await expect(page.getByText("We earn a commission from purchases. This doesn't affect our compatibility data.").count()).resolves.toBe(1);
    await page.locator('canvas[data-chart-ready="true"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('.fitment-list li').count()).resolves.toBe(2);
    await page.getByText('Hash chain intact').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'full-stack-part.png'), fullPage: true });
    await page.close();
  });

  it('signs in with the dev sign-in and lands back on the part', async () => {
    const returnUrl = `/parts/${FULL_STACK_EXHAUST.slug}?bike=${FULL_STACK_BIKE_SLUG}`;
    const page = await open(`/sign-in?returnUrl=${encodeURIComponent(returnUrl)}`);
    await hydrated(page);
    // The real API has no Google client in tests: GET /auth/providers says so and the button is gone.
    await expect(page.getByText('Continue with Google').count()).resolves.toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'full-stack-sign-in.png'), fullPage: true });
    await page.fill('#dev-email', 'jordan@example.com');
    await page.fill('#dev-name', 'Jordan K.');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`**${returnUrl}`);
    const cookies = await context.cookies(web.url);
    // The rider's own cookies (the garage bike, the region) are not the session's.
    const sessionCookies = cookies.map((cookie) => cookie.name).filter((name) => !['mpp_bike', 'mpp_region'].includes(name));
    expect(sessionCookies.sort()).toEqual(['csrf', 'mpp_session']);
    await page.close();
  });

  it('submits a verification and sees it in the audit trail without reloading', async () => {
    const page = await open(`/parts/${FULL_STACK_EXHAUST.slug}?bike=${FULL_STACK_BIKE_SLUG}`);
    await hydrated(page);
    await expect(page.locator('#verify-bike').inputValue()).resolves.toBeTruthy();
    await markDocument(page);
    await page.locator('#verify-fits-yes').check();
    await page.fill('#verify-notes', NOTE);
    const submitted = page.waitForResponse((response) => response.url().endsWith('/api/verifications') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Submit verification' }).click();
    expect((await submitted).status()).toBe(201);
    const row = page.locator('tr.is-new', { hasText: NOTE });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Jordan K.');
    await expect(row.textContent()).resolves.toContain('2021 Yamaha MT-07');
    await page.getByText('Hash chain intact').waitFor();
    expect(await stillSameDocument(page)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'full-stack-part-verified.png'), fullPage: true });
    await page.close();

    const home = await open('/');
    await home.locator('.recent__item', { hasText: 'Jordan K.' }).waitFor();
    await home.close();
  });

  it('plans a build with both exhausts and sees the single-slot warning and the total', async () => {
    const page = await open('/builds/new');
    await hydrated(page);
    // The bike page visited earlier became the garage bike, which a new build starts on.
    const change = page.getByRole('button', { name: 'Change' });
    if ((await change.count()) > 0) await change.click();
    await page.selectOption('#build-year', '2021');
    await page.selectOption('#build-make', 'Yamaha');
    await page.selectOption('#build-model', 'MT-07');
    await page.getByRole('button', { name: 'Use this bike' }).click();
    await page.fill('#build-name', 'Loud MT');
    await page.getByRole('button', { name: 'Create build' }).click();
    await page.waitForURL(/\/builds\/[0-9a-f-]{36}/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Loud MT');

    await page.fill('#add-part-query', 'slip-on');
    await page.getByRole('button', { name: `Add ${FULL_STACK_EXHAUST.name}` }).click();
    await page.getByText('Saved.').waitFor();
    await page.fill('#add-part-query', 'yoshimura');
    await page.getByRole('button', { name: 'Add R-77 Full System' }).click();
    await page
      .locator('.warning-list li', { hasText: 'Two parts in a single-slot category (Exhaust): Akrapovic Slip-On Line (Titanium) and Yoshimura R-77 Full System.' })
      .waitFor();
    await page.locator('tfoot', { hasText: '$2,198.00' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'full-stack-build.png'), fullPage: true });

    const mine = await open('/builds');
    await mine.locator('.build-list li', { hasText: 'Loud MT' }).filter({ hasText: '1 warning' }).waitFor();
    await mine.close();
    await page.close();
  });

  it('finds the part through a mistyped search', async () => {
    expect(stack.searchStatus).toBe(200);
    const page = await open('/');
    await hydrated(page);
    await page.fill('#home-search', 'akrapovik slipon');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/search\?q=akrapovik/);
    const hit = page.locator('.hit__name', { hasText: `Akrapovic ${FULL_STACK_EXHAUST.name}` });
    await hit.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'full-stack-search.png'), fullPage: true });
    await hit.click();
    await page.waitForURL(`**/parts/${FULL_STACK_EXHAUST.slug}`);
    await page.close();
  });

  it('logs no errors in the browser console (every read with region= is answered)', () => {
    expect(consoleErrors).toEqual([]);
  });
});
