import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, hydrated, inBrowserSuiteName, launchChromium, SCREENS, Screen, screenContext, SCREENSHOTS } from './support/rider-screens.js';
import { startStubApi, STUB_BIKE, STUB_EXHAUST, STUB_PUBLIC_BUILD_ID, STUB_WIDE_FIT_TYRE, StubApi } from './support/stub-api.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

/**
 * The rider's journeys at a desktop width and a phone width: layout never wider than the screen,
 * prices never ranked across currencies, the garage bike remembered, build sheets managed, and a
 * verification retracted. The stub API serves offers in dollars, euros and pounds.
 */
const suiteName = inBrowserSuiteName('rider journeys in a real browser');
const GARAGE_BIKE = JSON.stringify({ id: STUB_BIKE.id, slug: STUB_BIKE.slug, year: 2021, make: 'Yamaha', model: 'MT-07', trim: null });

describeInBrowser(suiteName, () => {
  let api: StubApi;
  let web: RunningWebServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    api = await startStubApi({ mixedCurrencies: true });
    web = await startWebServer({ API_URL: api.url });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.close();
  });

  async function contextFor(screen: Screen, cookies: Record<string, string> = {}): Promise<BrowserContext> {
    const context = await screenContext(browser, screen);
    const host = new URL(web.url).hostname;
    await context.addCookies(Object.entries(cookies).map(([name, value]) => ({ name, value: encodeURIComponent(value), domain: host, path: '/' })));
    return context;
  }

  const signedIn = { mpp_session: 'stub-session', csrf: 'csrf-token-1' };

  async function open(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${path}: ${error.message}`));
    await page.goto(web.url + path);
    await hydrated(page);
    return page;
  }


  async function createBuild(name: string, parts: { partId: string; quantity: number }[], visibility = 'unlisted'): Promise<string> {
    const response = await fetch(`${api.url}/api/builds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'mpp_session=stub-session', 'x-csrf-token': 'csrf-token-1' },
      body: JSON.stringify({ name, bikeId: STUB_BIKE.id, visibility, parts }),
    });
    return ((await response.json()) as { id: string }).id;
  }

  describe('no page lays out wider than the screen', () => {
    let ownBuild: string;
    beforeAll(async () => {
      ownBuild = await createBuild('Layout check', [
        { partId: STUB_EXHAUST.id, quantity: 1 },
        { partId: 'part-ebc-fa252hh', quantity: 2 },
      ]);
    });

    const PAGES: [name: string, path: () => string, signedIn: boolean][] = [
      ['home', () => '/', false],
      ['bike', () => `/bikes/${STUB_BIKE.slug}`, false],
      ['part', () => `/parts/${STUB_EXHAUST.slug}`, true],
      ['search', () => '/search?q=a', false],
      ['builds', () => '/builds', true],
      ['build-owner', () => `/builds/${ownBuild}`, true],
      ['build-public', () => `/builds/${STUB_PUBLIC_BUILD_ID}`, false],
      ['new-build', () => '/builds/new', true],
      ['sign-in', () => '/sign-in', false],
      ['account', () => '/account', true],
      ['pro', () => '/pro', false],
      ['not-found', () => '/builds/not-a-uuid', false],
    ];

    for (const screen of SCREENS) {
      it(`fits every page in ${screen.width} px (${screen.name}) and saves a screenshot of each`, async () => {
        const widths: Record<string, { scrollWidth: number; innerWidth: number }> = {};
        for (const [name, path, needsSession] of PAGES) {
          const context = await contextFor(screen, needsSession ? { ...signedIn, mpp_bike: GARAGE_BIKE } : { mpp_bike: GARAGE_BIKE });
          const page = await open(context, path());
          await page.locator('main h1').first().waitFor();
          await page.waitForLoadState('networkidle');
          widths[name] = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          await page.screenshot({ path: join(SCREENSHOTS, `riders-${name}-${screen.width}.png`), fullPage: true });
          await context.close();
        }
        const tooWide = Object.entries(widths).filter(([, w]) => w.scrollWidth > screen.width || w.innerWidth > screen.width);
        expect(tooWide).toEqual([]);
      }, 180_000);
    }

    it('defaults the region from Accept-Language in the server render and sends it to the API', async () => {
      const html = await (await fetch(`${web.url}/parts/${STUB_EXHAUST.slug}`, { headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } })).text();
      expect(/class="currency-group" data-currency="(\w+)"/.exec(html)?.[1]).toBe('EUR');
      expect(html).toMatch(/<option[^>]* value="DE" selected/);
      expect(api.requests.some((call) => call.url.startsWith(`/api/parts/${STUB_EXHAUST.slug}?`) && call.url.includes('region=DE'))).toBe(true);
    });

    it('answers HTTP 404 from the server for /builds/not-a-uuid', async () => {
      const response = await fetch(`${web.url}/builds/not-a-uuid`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Build not found');
    });
  });

  for (const screen of SCREENS) {
    describe(`at ${screen.width} px (${screen.name})`, () => {
      it('groups a part’s offers by currency, the rider’s first, and never names an out-of-stock offer the best price', async () => {
        const context = await contextFor(screen, { mpp_region: 'GB' });
        const page = await open(context, `/parts/${STUB_EXHAUST.slug}`);
        const groups = await page.locator('.currency-group').evaluateAll((nodes) =>
          nodes.map((node) => ({
            currency: node.getAttribute('data-currency'),
            prices: [...node.querySelectorAll('td[data-label="Price"]')].map((cell) => cell.textContent!.trim()),
            best: node.querySelector('.best-offer')?.textContent?.replace(/\s+/g, ' ').trim(),
          })),
        );
        expect(groups.map((group) => group.currency)).toEqual(['GBP', 'EUR', 'USD']);
        const symbol: Record<string, string> = { GBP: '£', EUR: '€', USD: '$' };
        for (const group of groups) {
          expect(group.prices.every((price) => price.startsWith(symbol[group.currency!]))).toBe(true);
        }
        // Wemoto's £699.99 is cheaper but out of stock: the best pound price is SportsBikeShop's.
        expect(groups[0].best).toBe('Best GBP price: £749.99 at SportsBikeShop');
        expect(groups[0].prices).toEqual(['£749.99', '£699.99']);
        await expect(page.locator('tr', { hasText: 'Wemoto' }).getByText('Out of stock').count()).resolves.toBe(1);
        // One chart per currency of the history, each line labelled in its own currency.
        await page.locator('canvas[data-chart-ready="true"]').first().waitFor({ timeout: 10_000 });
        await expect(page.locator('canvas[data-currency]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-currency')))).resolves.toEqual(['EUR', 'USD']);
        await expect(page.locator('.history-currency[data-currency="EUR"] .history-stats').textContent()).resolves.toContain('€');
        await page.getByRole('button', { name: '7 days' }).click();
        // The pressed state renders on the next change detection after the click: wait for it, do not read it at once.
        await page.getByRole('button', { name: '7 days', pressed: true }).waitFor({ timeout: 5_000 });
        expect(api.requests.some((call) => call.url.startsWith(`/api/parts/${STUB_EXHAUST.slug}?`) && call.url.includes('region=GB'))).toBe(true);
        await page.screenshot({ path: join(SCREENSHOTS, `riders-part-gb-${screen.width}.png`), fullPage: true });
        await context.close();
      });

      it('remembers the region chosen in the header and passes it to the price reads', async () => {
        const context = await contextFor(screen);
        const page = await open(context, `/parts/${STUB_EXHAUST.slug}`);
        // Accept-Language en-US: dollars first.
        await expect(page.locator('.currency-group').first().getAttribute('data-currency')).resolves.toBe('USD');
        await page.selectOption('#region-select', 'DE');
        await page.locator('.currency-group').first().and(page.locator('[data-currency="EUR"]')).waitFor();
        await page.reload();
        await hydrated(page);
        await expect(page.locator('.currency-group').first().getAttribute('data-currency')).resolves.toBe('EUR');
        expect(api.requests.some((call) => call.url.includes('region=DE'))).toBe(true);
        await context.close();
      });

      it('shows a build total as one number in the rider’s currency, flags the line priced in another, and lists that one total in My builds', async () => {
        const id = await createBuild(`Mixed ${screen.name}`, [
          { partId: STUB_EXHAUST.id, quantity: 1 },
          { partId: 'part-ebc-fa252hh', quantity: 2 },
        ]);
        const context = await contextFor(screen, signedIn);
        const page = await open(context, `/builds/${id}`);
        await expect(page.locator('tfoot .build-total').textContent()).resolves.toBe('$899.00');
        await expect(page.locator('tfoot .build-total').getAttribute('data-currency')).resolves.toBe('USD');
        await expect(page.locator('.build-total').count()).resolves.toBe(1);
        await expect(page.locator('tr', { hasText: 'Brake Pads' }).locator('.other-currency').textContent()).resolves.toContain('EUR: not in the USD total');
        const list = await open(context, '/builds');
        const row = list.locator('li', { hasText: `Mixed ${screen.name}` });
        await expect(row.locator('.build-list__total').allTextContents()).resolves.toEqual(['$899.00']);
        await expect(row.locator('.build-list__left-out').textContent()).resolves.toBe('(1 not priced in USD)');
        await context.close();
      });

      it('remembers the garage bike across a reload: the picker, search fit, the part page and a new build start on it', async () => {
        const context = await contextFor(screen, signedIn);
        const bikePage = await open(context, `/bikes/${STUB_BIKE.slug}`);
        await bikePage.close();
        const home = await open(context, '/');
        await home.reload();
        await hydrated(home);
        await expect(home.locator('#home-year').inputValue()).resolves.toBe('2021');
        await expect(home.locator('#home-make').inputValue()).resolves.toBe('Yamaha');
        await expect(home.locator('#home-model').inputValue()).resolves.toBe('MT-07');
        const search = await open(context, '/search?q=a');
        await expect(search.locator('.hit', { hasText: 'Slip-On Line' }).locator('[data-fit]').getAttribute('data-fit')).resolves.toBe('fits');
        await expect(search.locator('.hit', { hasText: 'Aero Frame Sliders' }).locator('[data-fit]').textContent()).resolves.toContain('Does not fit your 2021 Yamaha MT-07');
        const part = await open(context, `/parts/${STUB_EXHAUST.slug}`);
        await expect(part.locator('.garage-fit').textContent()).resolves.toContain('Fits your 2021 Yamaha MT-07');
        const newBuild = await open(context, '/builds/new');
        await expect(newBuild.locator('main').getByText('2021 Yamaha MT-07', { exact: true }).count()).resolves.toBe(1);
        await newBuild.fill('#build-name', `Garage ${screen.name}`);
        await newBuild.getByRole('button', { name: 'Create build' }).click();
        await newBuild.waitForURL(/\/builds\/build-\d+$/);
        expect(new URL(newBuild.url()).search).toBe('');
        await newBuild.locator('h1', { hasText: `Garage ${screen.name}` }).waitFor();
        await context.close();
      });

      it('renames, changes visibility, shares, exports, clones and deletes a build', async () => {
        const id = await createBuild(`Sheet ${screen.name}`, [{ partId: STUB_EXHAUST.id, quantity: 1 }], 'private');
        const context = await contextFor(screen, signedIn);
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
        const page = await open(context, `/builds/${id}`);
        await page.fill('#settings-name', `Renamed ${screen.name}`);
        await page.selectOption('#settings-visibility', 'unlisted');
        await page.getByRole('button', { name: 'Save settings' }).click();
        await page.locator('h1', { hasText: `Renamed ${screen.name}` }).waitFor();
        await expect(page.locator('.lead').textContent()).resolves.toContain('unlisted');
        const put = api.requests.filter((call) => call.method === 'PUT' && call.url === `/api/builds/${id}`).at(-1);
        expect(put?.headers['if-match']).toBe('1');

        await page.getByRole('button', { name: 'Copy link' }).click();
        await page.getByText('Link copied.').waitFor();
        await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(`${web.url}/builds/${id}`);
        await page.getByText('Markdown', { exact: true }).click();
        const markdown = await page.locator('#build-markdown').inputValue();
        expect(markdown).toContain(`## Renamed ${screen.name}`);
        expect(markdown).toContain('| Akrapovic Slip-On Line (Titanium) | exhaust | 1 | $899.00 | RevZilla |');

        // An edit made elsewhere meanwhile: the page's quantity change conflicts, and the saved build comes back.
        await fetch(`${api.url}/api/builds/${id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', cookie: 'mpp_session=stub-session', 'x-csrf-token': 'csrf-token-1', 'if-match': '2' },
          body: JSON.stringify({ parts: [{ partId: STUB_EXHAUST.id, quantity: 5 }] }),
        });
        await page.fill(`#qty-${STUB_EXHAUST.id}`, '2');
        await page.locator(`#qty-${STUB_EXHAUST.id}`).dispatchEvent('change');
        await page.getByText('This build was changed elsewhere').waitFor();
        await page.waitForFunction((selector) => (document.querySelector(selector) as HTMLInputElement).value === '5', `#qty-${STUB_EXHAUST.id}`);

        await page.getByRole('button', { name: 'Clone this build' }).click();
        await page.locator('h1', { hasText: `Copy of Renamed ${screen.name}` }).waitFor();
        expect(new URL(page.url()).search).toBe('');
        const cloneUrl = page.url();
        expect(cloneUrl).not.toContain(`/builds/${id}`);

        await page.goto(`${web.url}/builds/${id}`);
        await hydrated(page);
        await page.getByRole('button', { name: 'Delete build…' }).click();
        await page.getByRole('button', { name: 'Yes, delete it' }).click();
        await page.waitForURL(/\/builds$/);
        await page.locator('.build-list').waitFor();
        const names = await page.locator('.build-list__name').allTextContents();
        expect(names).not.toContain(`Renamed ${screen.name}`);
        expect(names).toContain(`Copy of Renamed ${screen.name}`);
        const deleted = await fetch(`${web.url}/builds/${id}`, { headers: { cookie: 'mpp_session=stub-session; csrf=csrf-token-1' } });
        expect(deleted.status).toBe(404);
        await context.close();
      });

      it('verifies a fit without a silently chosen bike, names the bike on the new row, and retracts it', async () => {
        const context = await contextFor(screen, signedIn);
        const page = await open(context, `/parts/${STUB_EXHAUST.slug}`);
        await expect(page.locator('#verify-bike').inputValue()).resolves.toBe('');
        await expect(page.getByRole('button', { name: 'Submit verification' }).isDisabled()).resolves.toBe(true);
        await page.selectOption('#verify-bike', STUB_BIKE.id);
        await page.locator('#verify-fits-no').check();
        const note = `Needed a bracket (${screen.name})`;
        await page.fill('#verify-notes', note);
        await page.getByRole('button', { name: 'Submit verification' }).click();
        const row = page.locator('tr.is-new', { hasText: note });
        await row.waitFor();
        await expect(row.locator('td[data-label="Bike"]').textContent()).resolves.toBe('2021 Yamaha MT-07');
        expect(api.requests.some((call) => call.url.startsWith(`/api/parts/${STUB_EXHAUST.id}?`) && call.headers['x-min-position'])).toBe(true);
        await row.getByRole('button', { name: /Retract/ }).click();
        await page.getByText('Your verification was retracted.').waitFor();
        const retracted = page.locator('tr', { hasText: note });
        await expect(retracted.locator('td[data-label="State"]').textContent()).resolves.toBe('retracted');
        await expect(retracted.getByRole('button', { name: /Retract/ }).count()).resolves.toBe(0);
        await context.close();
      });

      it('adds a part to one of the rider’s builds from the part page', async () => {
        const id = await createBuild(`Collect ${screen.name}`, [{ partId: 'part-ebc-fa252hh', quantity: 1 }]);
        const context = await contextFor(screen, signedIn);
        const page = await open(context, `/parts/${STUB_EXHAUST.slug}`);
        await page.selectOption('#add-to-build', id);
        await page.getByRole('button', { name: 'Add', exact: true }).click();
        await page.getByText(`Added to Collect ${screen.name}.`).waitFor();
        const put = api.requests.filter((call) => call.method === 'PUT' && call.url === `/api/builds/${id}`).at(-1);
        expect(put?.headers['if-match']).toBe('1');
        expect(JSON.parse(put!.body).parts).toEqual([
          { partId: 'part-ebc-fa252hh', quantity: 1 },
          { partId: STUB_EXHAUST.id, quantity: 1 },
        ]);
        await context.close();
      });

      it('narrows a part that fits 30 bikes to the rider’s by typing', async () => {
        const context = await contextFor(screen);
        const page = await open(context, `/parts/${STUB_WIDE_FIT_TYRE.slug}`);
        await expect(page.locator('.fitment-list li').count()).resolves.toBe(12);
        await expect(page.locator('.fitment-count').textContent()).resolves.toBe('12 of 30 matching bikes shown (30 in all)');
        await page.fill('#fitment-filter', '2016 honda');
        await page.locator('.fitment-count', { hasText: '1 of 1 matching' }).waitFor();
        await expect(page.locator('.fitment-list li a').allTextContents()).resolves.toEqual(['2016 Honda Model 2']);
        await context.close();
      });

      it('moves focus to the new page’s heading after navigating and restores the scroll position on Back', async () => {
        const context = await contextFor(screen);
        const page = await open(context, '/');
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        // Clicking scrolls the link into view first; the position to come back to is the one after that.
        const link = page.locator('.recent__list a').first();
        await link.scrollIntoViewIfNeeded();
        const scrolled = await page.evaluate(() => window.scrollY);
        expect(scrolled).toBeGreaterThan(0);
        await link.click();
        await page.waitForURL(/\/parts\//);
        await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
        await page.goBack();
        await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, scrolled, { timeout: 5_000 });
        await context.close();
      });
    });
  }

  it('logs no errors in the browser console', () => {
    // The deliberate 404 pages and the deliberate edit conflict log their status; anything else is a real error.
    expect(consoleErrors.filter((line) => !/status of (400|404|412)/.test(line))).toEqual([]);
  });
});
