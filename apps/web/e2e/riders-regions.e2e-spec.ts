import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, devSignIn, hydrated, inBrowserSuiteName, launchChromium, openWatched, regionContext, SCREENS, Screen, SCREENSHOTS, type SignedIn } from './support/rider-screens.js';
import { RealStack, startRealStack } from './support/full-stack.js';
import { REGIONS_BIKE_SLUG, REGIONS_EXHAUST, seedRegionsCatalog } from './support/regions-catalog.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

/**
 * The rider's journeys on the real stack (PostgreSQL, API, projector, SSR server) with a catalog
 * priced in dollars, pounds and euros, at a desktop width and a phone width: what the rider sees
 * when prices come in several currencies, the garage bike, add to build, alerts, moderation, and
 * that no page lays out wider than the screen. Screenshots go to e2e/screenshots (gitignored).
 */
const suiteName = inBrowserSuiteName('rider journeys on the real stack, prices in three currencies');

describeInBrowser(suiteName, () => {
  let stack: RealStack;
  let web: RunningWebServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startRealStack(seedRegionsCatalog);
    // The pages render without X-Min-Position: wait until search has the seeded prices too.
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await fetch(`${stack.apiUrl}/api/search?q=yamaha`, { headers: { 'X-Min-Position': String(stack.seededPosition) } });
      if (response.ok && response.headers.get('x-consistent') === 'true') break;
    }
    web = await startWebServer({ API_URL: stack.apiUrl });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await stack?.stop();
  });

  const contextFor = (screen: Screen, region?: string): Promise<BrowserContext> => regionContext(browser, screen, region);

  const signIn = (context: BrowserContext, email: string, role?: 'user' | 'moderator'): Promise<SignedIn> => devSignIn(context, web.url, email, role);

  /** A command through the web's proxy; returns once the read models have caught up with it, as the page that follows needs. */
  async function apiPost<T>(context: BrowserContext, who: SignedIn, path: string, data: unknown): Promise<T> {
    const response = await context.request.post(web.url + path, { data, headers: { 'x-csrf-token': who.csrfToken } });
    if (!response.ok()) throw new Error(`POST ${path} answered ${response.status()}: ${await response.text()}`);
    const body = (await response.json()) as T & { position?: number };
    if (body.position !== undefined) await context.request.get(`${web.url}/api/builds`, { headers: { 'X-Min-Position': String(body.position) } });
    return body;
  }

  async function open(context: BrowserContext, path: string): Promise<Page> {
    const page = await openWatched(context, web.url + path, consoleErrors, path);
    await hydrated(page);
    return page;
  }


  async function partId(sku: string): Promise<string> {
    const parts = (await (await fetch(`${stack.apiUrl}/api/parts?limit=100`)).json()) as { items: { id: string; sku: string }[] };
    return parts.items.find((part) => part.sku === sku)!.id;
  }

  /** The shown amounts as numbers: "£1,199.99" -> 119999. */
  const cents = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, '')) * 100);

  for (const screen of SCREENS) {
    describe(`at ${screen.width} px (${screen.name})`, () => {
      it('sorts a bike’s parts by price in the rider’s currency only, never interleaving another, and names the best price in it', async () => {
        const context = await contextFor(screen, 'GB');
        const page = await open(context, `/bikes/${REGIONS_BIKE_SLUG}?sort=price_asc`);
        const groups = await page.locator('.category-group').evaluateAll((nodes) =>
          nodes.map((node) =>
            [...node.querySelectorAll('.part-row')].map((row) => {
              const price = row.querySelector('.part-row__price .price');
              return { currency: price?.getAttribute('data-currency') ?? null, text: price?.textContent?.trim() ?? null };
            }),
          ),
        );
        const rows = groups.flat();
        expect(rows.filter((row) => row.currency !== null).map((row) => row.currency)).toEqual(rows.filter((row) => row.currency !== null).map(() => 'GBP'));
        for (const group of groups) {
          const firstUnpriced = group.findIndex((row) => row.currency === null);
          if (firstUnpriced >= 0) expect(group.slice(firstUnpriced).every((row) => row.currency === null)).toBe(true);
          const amounts = group.filter((row) => row.text !== null).map((row) => cents(row.text!));
          expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
        }
        // The exhaust's best price for a UK rider is the pound offer, not the smaller-looking euro number.
        const exhaust = page.locator('.part-row', { hasText: 'Racing Line' });
        await expect(exhaust.locator('.part-row__price .price').textContent()).resolves.toBe('£1,199.99');
        await expect(exhaust.locator('.other-price').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-currency')))).resolves.toEqual(['EUR', 'USD']);
        // The sliders have no pound offer: no price of theirs is ranked among the pound prices.
        await expect(page.locator('.part-row', { hasText: 'Aero Frame Sliders' }).locator('.no-regional-price').textContent()).resolves.toBe('No GBP price');
        await page.screenshot({ path: join(SCREENSHOTS, `riders-regions-bike-gb-price-${screen.width}.png`), fullPage: true });

        const german = await contextFor(screen, 'DE');
        const inEuros = await open(german, `/bikes/${REGIONS_BIKE_SLUG}?sort=price_asc`);
        await expect(inEuros.locator('.part-row', { hasText: 'Racing Line' }).locator('.part-row__price .price').textContent()).resolves.toBe('€1,254.99');
        await german.close();
        await context.close();
      });

      it('sorts search results by price in one currency, the parts without a price in it after', async () => {
        const context = await contextFor(screen, 'US');
        const page = await open(context, '/search?q=yamaha&sort=price_asc');
        const hits = await page.locator('.hit').evaluateAll((nodes) =>
          nodes.map((node) => {
            const price = node.querySelector('.hit__price');
            return { currency: price?.getAttribute('data-currency') ?? null, text: price?.textContent?.trim() ?? null };
          }),
        );
        expect(hits.length).toBeGreaterThan(3);
        const priced = hits.filter((hit) => hit.currency !== null);
        expect(priced.every((hit) => hit.currency === 'USD')).toBe(true);
        expect(hits.slice(priced.length).every((hit) => hit.currency === null)).toBe(true);
        const amounts = priced.map((hit) => cents(hit.text!));
        expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
        await page.screenshot({ path: join(SCREENSHOTS, `riders-regions-search-us-price-${screen.width}.png`), fullPage: true });
        await context.close();
      });

      it('shows a build total as one number in the rider’s currency and flags the line priced only in another', async () => {
        const context = await contextFor(screen, 'US');
        const rider = await signIn(context, `totals-${screen.name}@example.com`);
        const bike = (await (await fetch(`${stack.apiUrl}/api/bikes/${REGIONS_BIKE_SLUG}`)).json()) as { id: string };
        const build = await apiPost<{ id: string }>(context, rider, '/api/builds', {
          name: `Mixed ${screen.name}`,
          bikeId: bike.id,
          visibility: 'unlisted',
          parts: [
            { partId: await partId(REGIONS_EXHAUST.sku), quantity: 1 },
            { partId: await partId('EBC-FA252HH'), quantity: 2 },
          ],
        });
        const page = await open(context, `/builds/${build.id}`);
        await page.locator('tfoot .build-total').waitFor();
        await expect(page.locator('.build-total').count()).resolves.toBe(1);
        await expect(page.locator('tfoot .build-total').textContent()).resolves.toBe('$1,303.99');
        await expect(page.locator('tfoot .build-total').getAttribute('data-currency')).resolves.toBe('USD');
        await expect(page.locator('tr', { hasText: 'Brake Pads' }).locator('.other-currency').textContent()).resolves.toContain('EUR: not in the USD total');
        await expect(page.locator('.build-left-out').textContent()).resolves.toContain('1 part has no USD price');
        await page.screenshot({ path: join(SCREENSHOTS, `riders-regions-build-${screen.width}.png`), fullPage: true });
        const list = await open(context, '/builds');
        const row = list.locator('li', { hasText: `Mixed ${screen.name}` });
        await row.locator('.build-list__total').first().waitFor();
        await expect(row.locator('.build-list__total').allTextContents()).resolves.toEqual(['$1,303.99']);
        await expect(row.locator('.build-list__left-out').textContent()).resolves.toBe('(1 not priced in USD)');
        await context.close();
      });

      it('keeps the garage bike across a reload, shows fit on search, filters to parts that fit, and adds to a build from the bike page and search', async () => {
        const context = await contextFor(screen, 'GB');
        const rider = await signIn(context, `garage-${screen.name}@example.com`);
        const bike = (await (await fetch(`${stack.apiUrl}/api/bikes/${REGIONS_BIKE_SLUG}`)).json()) as { id: string };
        const build = await apiPost<{ id: string }>(context, rider, '/api/builds', { name: `Collect ${screen.name}`, bikeId: bike.id, visibility: 'private', parts: [] });
        const bikePage = await open(context, `/bikes/${REGIONS_BIKE_SLUG}`);
        await bikePage.selectOption('#collect-build', build.id);
        const levers = bikePage.locator('.part-row', { hasText: 'F3 Levers' });
        await levers.getByRole('button', { name: /Add to build/ }).click();
        await levers.getByText(`Added to Collect ${screen.name}.`).waitFor();
        await bikePage.close();

        const search = await open(context, '/search?q=yamaha');
        await search.reload();
        await hydrated(search);
        await expect(search.locator('.hit', { hasText: 'Racing Line' }).locator('[data-fit]').getAttribute('data-fit')).resolves.toBe('fits');
        await search.getByRole('link', { name: /Only parts that fit my 2021 Yamaha MT-07/ }).click();
        await search.waitForURL(/fits=1/);
        await search.locator('.chip--on').waitFor();
        const verdicts = await search.locator('.hit [data-fit]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-fit')));
        expect(verdicts.length).toBeGreaterThan(0);
        expect(verdicts.every((verdict) => verdict === 'fits')).toBe(true);
        await search.selectOption('#collect-build', build.id);
        const seat = search.locator('.hit', { hasText: 'World Sport Seat' });
        await seat.getByRole('button', { name: /Add to build/ }).click();
        await seat.getByText(`Added to Collect ${screen.name}.`).waitFor();
        await search.screenshot({ path: join(SCREENSHOTS, `riders-regions-search-fits-${screen.width}.png`), fullPage: true });

        // The page reads the build without a position: let the projection take both adds first.
        for (let attempt = 0; attempt < 20; attempt++) {
          const saved = (await (await context.request.get(`${web.url}/api/builds/${build.id}`)).json()) as { parts: unknown[] };
          if (saved.parts.length === 2) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const sheet = await open(context, `/builds/${build.id}`);
        await sheet.locator('tfoot .build-total').waitFor();
        await expect(sheet.locator('.build-table tbody tr').count()).resolves.toBe(2);
        await expect(sheet.locator('tfoot .build-total').textContent()).resolves.toBe('£259.98');
        await context.close();
      });

      it('creates and deletes a price alert in the rider’s currency', async () => {
        const context = await contextFor(screen, 'GB');
        const rider = await signIn(context, `alerts-${screen.name}@example.com`);
        await stack.setPlan(rider.id, 'pro');
        const page = await open(context, `/parts/${REGIONS_EXHAUST.slug}`);
        await page.fill('#alert-target', '999.50');
        await page.getByRole('button', { name: 'Create alert' }).click();
        await page.getByText('Alert saved.').waitFor();
        await expect(page.locator('.alert-target').textContent()).resolves.toBe('£999.50');
        await expect(page.locator('.alert-target').getAttribute('data-currency')).resolves.toBe('GBP');
        await page.screenshot({ path: join(SCREENSHOTS, `riders-regions-part-alert-${screen.width}.png`), fullPage: true });
        // The layout check below opens this page with no alert; the alert's row must fit the screen too.
        const withAlert = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        expect(withAlert.scrollWidth).toBeLessThanOrEqual(screen.width);
        expect(withAlert.innerWidth).toBeLessThanOrEqual(screen.width);
        const saved = (await (await context.request.get(`${web.url}/api/alerts`)).json()) as { items: { currency: string; targetPriceCents: number }[] };
        expect(saved.items).toEqual([expect.objectContaining({ currency: 'GBP', targetPriceCents: 99_950 })]);
        await page.getByRole('button', { name: /Delete/ }).click();
        await page.getByText('Alert deleted.').waitFor();
        await page.locator('.alert-row').waitFor({ state: 'detached' });
        expect(((await (await context.request.get(`${web.url}/api/alerts`)).json()) as { items: unknown[] }).items).toEqual([]);
        await context.close();
      });

      // The moderation journey (hide, then restore from the hidden list after reopening) is in riders-manage.e2e-spec.ts.

      it('lays out no page wider than the screen and saves a screenshot of each', async () => {
        const context = await contextFor(screen, 'GB');
        const rider = await signIn(context, `layout-${screen.name}@example.com`, 'moderator');
        await stack.setPlan(rider.id, 'pro');
        const bike = (await (await fetch(`${stack.apiUrl}/api/bikes/${REGIONS_BIKE_SLUG}`)).json()) as { id: string };
        const build = await apiPost<{ id: string }>(context, rider, '/api/builds', {
          name: 'A long build name that a rider might really type for their bike',
          bikeId: bike.id,
          visibility: 'public',
          parts: [
            { partId: await partId(REGIONS_EXHAUST.sku), quantity: 1 },
            { partId: await partId('RG-AERO'), quantity: 1 },
            { partId: await partId('EBC-FA252HH'), quantity: 2 },
          ],
        });
        const pages: [name: string, path: string][] = [
          ['home', '/'],
          ['bike', `/bikes/${REGIONS_BIKE_SLUG}?sort=price_asc`],
          ['part', `/parts/${REGIONS_EXHAUST.slug}`],
          ['search', '/search?q=yamaha'],
          ['builds', '/builds'],
          ['build', `/builds/${build.id}`],
          ['new-build', '/builds/new'],
          ['account', '/account'],
          ['pro', '/pro'],
          ['moderation', '/moderation'],
          ['sign-in', '/sign-in'],
          ['not-found', '/no-such-page'],
        ];
        const widths: Record<string, { scrollWidth: number; innerWidth: number }> = {};
        for (const [name, path] of pages) {
          const page = await open(context, path);
          await page.locator('main h1').first().waitFor();
          await page.waitForLoadState('networkidle');
          widths[name] = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          await page.screenshot({ path: join(SCREENSHOTS, `riders-regions-${name}-${screen.width}.png`), fullPage: true });
          await page.close();
        }
        const tooWide = Object.entries(widths).filter(([, w]) => w.scrollWidth > screen.width || w.innerWidth > screen.width);
        expect(tooWide).toEqual([]);
        await context.close();
      }, 180_000);
    });
  }

  it('logs no errors in the browser console', () => {
    // The deliberate 404 page logs its status; anything else is a real error. A failed proxy call
    // (502) is logged by the web server with its cause, shown beside the console's line.
    const proxyFailures = web.output().split('\n').filter((line) => line.includes('api proxy failed'));
    expect({ console: consoleErrors.filter((line) => !/status of 404/.test(line)), proxyFailures }).toEqual({ console: [], proxyFailures: [] });
  });
});
