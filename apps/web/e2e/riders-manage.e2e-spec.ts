import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, devSignIn, hydrated, inBrowserSuiteName, launchChromium, openWatched, regionContext, SCREENS, Screen, SCREENSHOTS, type SignedIn } from './support/rider-screens.js';
import { RealStack, startRealStack } from './support/full-stack.js';
import { REGIONS_BIKE_SLUG, REGIONS_EXHAUST, seedRegionsCatalog } from './support/regions-catalog.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

/**
 * What a rider manages, on the real stack (PostgreSQL, API, projector, SSR server), at a desktop and
 * a phone width: a build renamed, made unlisted, shared by link, exported, edited against a
 * conflict, cloned and deleted; a verification retracted; the region and garage bike carried to a
 * second device by the account; the Pro price; the moderators' hidden list. Every page it opens must
 * lay out within the screen. Screenshots go to e2e/screenshots (gitignored).
 */
const suiteName = inBrowserSuiteName('riders manage builds, verifications, account and moderation on the real stack');

describeInBrowser(suiteName, () => {
  let stack: RealStack;
  let web: RunningWebServer;
  let browser: Browser;
  const consoleErrors: string[] = [];
  const tooWide: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startRealStack(seedRegionsCatalog, { PRO_DISPLAY_PRICES: 'USD:499,GBP:449,EUR:499' });
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

  /** A command through the web's proxy; returns once the read models have caught up with it. */
  async function apiSend<T>(context: BrowserContext, who: SignedIn, method: 'post' | 'put', path: string, data: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await context.request[method](web.url + path, { data, headers: { 'x-csrf-token': who.csrfToken, ...headers } });
    if (!response.ok()) throw new Error(`${method.toUpperCase()} ${path} answered ${response.status()}: ${await response.text()}`);
    const body = (await response.json()) as T & { position?: number };
    if (body.position !== undefined) {
      const wait = { headers: { 'X-Min-Position': String(body.position) } };
      await Promise.all([context.request.get(`${web.url}/api/builds`, wait), context.request.get(`${web.url}/api/verifications/recent`, wait)]);
    }
    return body;
  }

  /** Opens a page, waits for hydration, and records it if it lays out wider than the screen. */
  async function open(context: BrowserContext, screen: Screen, path: string, page?: Page): Promise<Page> {
    const tab = page ?? (await openWatched(context, web.url + path, consoleErrors, path));
    if (page) await tab.goto(web.url + path);
    await hydrated(tab);
    await checkWidth(tab, screen, path);
    return tab;
  }

  async function checkWidth(page: Page, screen: Screen, label: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    if (scrollWidth > screen.width || innerWidth > screen.width) tooWide.push(`${label} at ${screen.width}: scrollWidth ${scrollWidth}, innerWidth ${innerWidth}`);
  }

  const shot = (page: Page, name: string, screen: Screen) => page.screenshot({ path: join(SCREENSHOTS, `riders-manage-${name}-${screen.width}.png`), fullPage: true });

  async function ids() {
    const bike = (await (await fetch(`${stack.apiUrl}/api/bikes/${REGIONS_BIKE_SLUG}`)).json()) as { id: string };
    const parts = (await (await fetch(`${stack.apiUrl}/api/parts?limit=100`)).json()) as { items: { id: string; sku: string }[] };
    return { bikeId: bike.id, partId: (sku: string) => parts.items.find((part) => part.sku === sku)!.id };
  }

  for (const screen of SCREENS) {
    describe(`at ${screen.width} px (${screen.name})`, () => {
      it('renames a build and makes it unlisted, copies its link, exports it, reloads the saved build after a conflict, clones and deletes it', async () => {
        const context = await contextFor(screen, 'US');
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
        const rider = await signIn(context, `sheet-${screen.name}@example.com`);
        const { bikeId, partId } = await ids();
        const exhaust = partId(REGIONS_EXHAUST.sku);
        const created = await apiSend<{ id: string; revision: number }>(context, rider, 'post', '/api/builds', {
          name: `Sheet ${screen.name}`,
          bikeId,
          visibility: 'private',
          parts: [{ partId: exhaust, quantity: 1 }],
        });
        const page = await open(context, screen, `/builds/${created.id}`);
        await page.fill('#settings-name', `Renamed ${screen.name}`);
        await page.selectOption('#settings-visibility', 'unlisted');
        await page.getByRole('button', { name: 'Save settings' }).click();
        await page.locator('h1', { hasText: `Renamed ${screen.name}` }).waitFor();
        await expect(page.locator('.lead').textContent()).resolves.toContain('unlisted');
        const saved = (await (await context.request.get(`${web.url}/api/builds/${created.id}`)).json()) as { name: string; visibility: string; revision: number };
        expect(saved).toMatchObject({ name: `Renamed ${screen.name}`, visibility: 'unlisted', revision: created.revision + 1 });

        // Unlisted: anyone with the link sees it, signed out.
        const stranger = await contextFor(screen, 'US');
        const shared = await open(stranger, screen, `/builds/${created.id}`);
        await shared.locator('h1', { hasText: `Renamed ${screen.name}` }).waitFor();
        await expect(shared.locator('tfoot .build-total').textContent()).resolves.toBe('$1,303.99');
        await expect(shared.getByRole('button', { name: 'Delete build…' }).count()).resolves.toBe(0);
        await stranger.close();

        await page.getByRole('button', { name: 'Copy link' }).click();
        await page.getByText('Link copied.').waitFor();
        await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(`${web.url}/builds/${created.id}`);
        await page.getByText('Markdown', { exact: true }).click();
        const markdown = await page.locator('#build-markdown').inputValue();
        expect(markdown).toContain(`## Renamed ${screen.name}`);
        expect(markdown).toMatch(/\| Akrapovic Racing Line \| [^|]+ \| 1 \| \$1,303\.99 \| RevZilla \|/);
        await shot(page, 'build-shared', screen);

        // Another tab saves quantity 5 meanwhile; this page's change of quantity conflicts and the saved 5 comes back.
        await apiSend(context, rider, 'put', `/api/builds/${created.id}`, { parts: [{ partId: exhaust, quantity: 5 }] }, { 'if-match': `"${saved.revision}"` });
        await page.fill(`#qty-${exhaust}`, '2');
        await page.locator(`#qty-${exhaust}`).dispatchEvent('change');
        await page.getByText('This build was changed elsewhere').waitFor();
        await page.waitForFunction((selector) => (document.querySelector(selector) as HTMLInputElement).value === '5', `#qty-${exhaust}`);
        await expect(page.locator('tfoot .build-total').textContent()).resolves.toBe('$6,519.95');

        await page.getByRole('button', { name: 'Clone this build' }).click();
        const cloned = await page
          .locator('h1', { hasText: `Copy of Renamed ${screen.name}` })
          .waitFor({ timeout: 15_000 })
          .then(() => 'shown')
          .catch(async () => `not shown; the page says: ${(await page.locator('main').textContent())?.replace(/\s+/g, ' ').slice(0, 600)}`);
        expect(cloned).toBe('shown');
        expect(new URL(page.url()).search).toBe('');
        expect(page.url()).not.toContain(created.id);
        await checkWidth(page, screen, 'cloned build');

        await open(context, screen, `/builds/${created.id}`, page);
        await page.getByRole('button', { name: 'Delete build…' }).click();
        await page.getByRole('button', { name: 'Yes, delete it' }).click();
        await page.waitForURL(/\/builds$/);
        await page.locator('.build-list').waitFor();
        await checkWidth(page, screen, '/builds after delete');
        const names = await page.locator('.build-list__name').allTextContents();
        expect(names).not.toContain(`Renamed ${screen.name}`);
        expect(names).toContain(`Copy of Renamed ${screen.name}`);
        await shot(page, 'builds-after-delete', screen);
        const gone = await context.request.get(`${web.url}/builds/${created.id}`);
        expect(gone.status()).toBe(404);
        await context.close();
      });

      it('answers 404 for a malformed build address and moves focus to the main heading after navigating', async () => {
        const context = await contextFor(screen, 'US');
        const malformed = await context.request.get(`${web.url}/builds/not-a-uuid`);
        expect(malformed.status()).toBe(404);
        const page = await open(context, screen, `/bikes/${REGIONS_BIKE_SLUG}`);
        await page.locator('a', { hasText: 'Racing Line' }).first().click();
        await page.waitForURL(/\/parts\/akrapovic-racing-line/);
        await page.waitForFunction(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent!.includes('Racing Line'));
        // The catalog's attributes are shown with the part.
        const details = await page.locator('.part-details__item').evaluateAll((items) => items.map((item) => [item.querySelector('dt')!.textContent, item.querySelector('dd')!.textContent]));
        expect(details).toEqual([['Type', 'Slip-on'], ['Homologated', 'Yes']]);
        await checkWidth(page, screen, 'part after in-app navigation');
        await context.close();
      });

      it('verifies a fit with no bike chosen for the rider, names the bike on the new row, and retracts it', async () => {
        const context = await contextFor(screen, 'GB');
        await signIn(context, `retract-${screen.name}@example.com`);
        const { bikeId } = await ids();
        const page = await open(context, screen, `/parts/${REGIONS_EXHAUST.slug}`);
        await expect(page.locator('#verify-bike').inputValue()).resolves.toBe('');
        await page.selectOption('#verify-bike', bikeId);
        await page.locator('#verify-fits-no').check();
        const note = `Needed a bracket (${screen.name})`;
        await page.fill('#verify-notes', note);
        await page.getByRole('button', { name: 'Submit verification' }).click();
        const row = page.locator('tr.is-new', { hasText: note });
        await row.waitFor();
        await expect(row.locator('td[data-label="Bike"]').textContent()).resolves.toBe('2021 Yamaha MT-07');
        await row.getByRole('button', { name: /Retract/ }).click();
        await page.getByText('Your verification was retracted.').waitFor();
        const retracted = page.locator('tr', { hasText: note });
        await expect(retracted.locator('td[data-label="State"]').textContent()).resolves.toBe('retracted');
        await expect(retracted.getByRole('button', { name: /Retract/ }).count()).resolves.toBe(0);
        await checkWidth(page, screen, 'part after retract');
        await shot(page, 'part-retracted', screen);
        await context.close();
      });

      it('carries the region and garage bike to a second device through the account, which wins over that device’s cookies', async () => {
        const email = `two-devices-${screen.name}@example.com`;
        const laptop = await contextFor(screen);
        await signIn(laptop, email);
        const home = await open(laptop, screen, '/');
        const savedRegion = home.waitForResponse((response) => response.url().endsWith('/api/me/rider-preferences') && response.request().method() === 'PUT');
        await home.selectOption('#region-select', 'GB');
        expect((await savedRegion).status()).toBe(200);
        const savedBike = home.waitForResponse(
          (response) => response.url().endsWith('/api/me/rider-preferences') && response.request().method() === 'PUT' && (response.request().postData() ?? '').includes('garageBikeId'),
        );
        await open(laptop, screen, `/bikes/${REGIONS_BIKE_SLUG}`, home);
        expect((await savedBike).status()).toBe(200);
        const onAccount = (await (await laptop.request.get(`${web.url}/api/me`)).json()) as { region: string; garageBike: { slug: string } };
        expect(onAccount).toMatchObject({ region: 'GB', garageBike: { slug: REGIONS_BIKE_SLUG } });
        await laptop.close();

        // A phone whose cookie says Germany and that has never seen the bike.
        const phone = await contextFor(screen, 'DE');
        await signIn(phone, email);
        const part = await open(phone, screen, `/parts/${REGIONS_EXHAUST.slug}`);
        await part.waitForFunction(() => (document.querySelector('#region-select') as HTMLSelectElement).value === 'GB');
        await part.locator('.rider-context__bike', { hasText: '2021 Yamaha MT-07' }).waitFor();
        await part.getByText('£1,199.99').first().waitFor();
        const cookies = Object.fromEntries((await phone.cookies()).map((cookie) => [cookie.name, decodeURIComponent(cookie.value)]));
        expect(cookies['mpp_region']).toBe('GB');
        expect(JSON.parse(cookies['mpp_bike']!)).toMatchObject({ slug: REGIONS_BIKE_SLUG, year: 2021, make: 'Yamaha', model: 'MT-07' });
        await checkWidth(part, screen, 'part on the second device');
        await shot(part, 'second-device', screen);
        const account = await open(phone, screen, '/account');
        await expect(account.locator('.account-currency').textContent()).resolves.toBe('GBP');
        await expect(account.locator('.account-garage a').textContent()).resolves.toBe('2021 Yamaha MT-07');
        await shot(account, 'account-garage', screen);
        const forgotten = account.waitForResponse((response) => response.url().endsWith('/api/me/rider-preferences') && response.request().method() === 'PUT');
        await account.getByRole('button', { name: 'Forget this bike' }).click();
        expect((await forgotten).status()).toBe(200);
        await account.getByText('No bike yet').waitFor();
        await account.locator('.rider-context__bike').waitFor({ state: 'detached' });
        expect(((await (await phone.request.get(`${web.url}/api/me`)).json()) as { garageBike: unknown }).garageBike).toBeNull();
        await phone.close();
      });

      it('shows the Pro price in the rider’s currency, other currencies apart when it has none in the rider’s, and a billing failure in the rider’s words', async () => {
        const british = await contextFor(screen, 'GB');
        const pro = await open(british, screen, '/pro');
        await expect(pro.locator('.pro__price strong').allTextContents()).resolves.toEqual(['£4.49']);
        await expect(pro.locator('.pro__price').textContent()).resolves.toContain('a month');
        await shot(pro, 'pro-gb', screen);
        // This stack has no Stripe key: the API's 503 names the missing setting for operators; the rider reads the page's own words.
        await signIn(british, `upgrade-${screen.name}@example.com`);
        await open(british, screen, '/pro', pro);
        const refused = pro.waitForResponse((response) => response.url().endsWith('/api/billing/checkout'));
        await pro.getByRole('button', { name: 'Upgrade to Pro' }).click();
        const answer = await refused;
        expect(answer.status()).toBe(503);
        const alert = pro.locator('.pro__cta [role="alert"]');
        await alert.waitFor();
        await expect(alert.textContent()).resolves.toBe('Upgrading to Pro is not available right now. Nothing was charged; please try again later.');
        await expect(pro.getByRole('button', { name: 'Upgrade to Pro' }).isEnabled()).resolves.toBe(true);
        await checkWidth(pro, screen, '/pro after a refused checkout');
        await shot(pro, 'pro-billing-error', screen);
        await british.close();

        const australian = await contextFor(screen, 'AU');
        const elsewhere = await open(australian, screen, '/pro');
        await expect(elsewhere.locator('.pro__price').textContent()).resolves.toContain('not priced in AUD');
        await expect(elsewhere.locator('.pro__price strong').allTextContents()).resolves.toEqual(['$4.99', '£4.49', '€4.99']);
        await australian.close();
      });

      it('lets a moderator hide a verification with a reason, find it in the hidden list after reopening the page, and restore it', async () => {
        const contributor = await contextFor(screen);
        const rider = await signIn(contributor, `contributor-${screen.name}@example.com`);
        const { bikeId, partId } = await ids();
        await apiSend(contributor, rider, 'post', '/api/verifications', { partId: partId('RG-AERO'), bikeId, fits: true, notes: `Spam ${screen.name}` });
        await contributor.close();

        const context = await contextFor(screen);
        await signIn(context, `moderator-${screen.name}@example.com`, 'moderator');
        const page = await open(context, screen, '/moderation');
        const queued = page.locator('.queue:not(.queue--hidden) .queue__item', { hasText: `by contributor-${screen.name}` }).first();
        await queued.locator('input').fill('Advertising, not a fit report');
        await queued.getByRole('button', { name: 'Hide' }).click();
        const hidden = page.locator('.queue--hidden .queue__item', { hasText: `by contributor-${screen.name}` });
        await hidden.getByText('“Advertising, not a fit report”').waitFor();

        // The hidden list comes from the API, so it survives closing the page.
        await open(context, screen, '/moderation', page);
        await hidden.getByText(`by moderator-${screen.name}`).waitFor();
        await expect(hidden.locator('a').first().textContent()).resolves.toBe('R&G Aero Frame Sliders');
        await checkWidth(page, screen, '/moderation with a hidden item');
        await shot(page, 'moderation-hidden', screen);
        await hidden.locator('input').fill('Hidden by mistake');
        await hidden.getByRole('button', { name: 'Restore' }).click();
        await hidden.waitFor({ state: 'detached' });
        await context.close();
      });
    });
  }

  it('lays out every page it opened within the screen', () => {
    expect(tooWide).toEqual([]);
  });

  it('logs no errors in the browser console', () => {
    // A deliberate 404 (the deleted build), a deliberate edit conflict and the checkout refused without Stripe log their status; anything else is a real error.
    expect(consoleErrors.filter((line) => !/status of (404|409|412|503)/.test(line))).toEqual([]);
  });
});
