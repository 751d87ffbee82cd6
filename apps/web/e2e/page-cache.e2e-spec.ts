import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FULL_STACK_BIKE_SLUG } from './support/full-stack-catalog.js';
import { type AdminSession, get, type RealStack, send, signInAsAdmin, startRealStack } from './support/full-stack.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

const OTHER_BIKE_SLUG = '2022-yamaha-mt-07';
/** Only fits the 2021 bike (full-stack-catalog.ts), so its price shows on that page alone. */
const PADS_SKU = 'FA252HH';
/**
 * The API's answer cache drops an entry when the projection-change notice arrives, a moment after
 * the read model itself: a bounded number of page loads covers that gap.
 */
const PAGE_ATTEMPTS = 20;

/**
 * The SSR page cache against the real back end (PostgreSQL, API, projector): a stored bike page is
 * served again only while every API answer it was rendered from still answers 304.
 */
describe('SSR page cache on the real stack', () => {
  let stack: RealStack;
  let web: RunningWebServer;
  let admin: AdminSession;
  const bikePage = `/bikes/${FULL_STACK_BIKE_SLUG}`;

  beforeAll(async () => {
    stack = await startRealStack();
    web = await startWebServer({ API_URL: stack.apiUrl });
    admin = await signInAsAdmin(stack.apiUrl);
  }, 60_000);

  afterAll(async () => {
    await web?.stop();
    await stack?.stop();
  });

  async function page(path: string, headers: Record<string, string> = {}): Promise<{ cache: string | null; html: string; status: number }> {
    const response = await fetch(web.url + path, { headers });
    return { cache: response.headers.get('x-page-cache'), html: await response.text(), status: response.status };
  }

  /** Loads the page until it shows `text` (the API's answer cache may still hold the old answer for a moment). */
  async function pageShowing(path: string, text: string): Promise<{ cache: string | null; html: string }> {
    let last = await page(path);
    for (let attempt = 1; attempt < PAGE_ATTEMPTS && !last.html.includes(text); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      last = await page(path);
    }
    return last;
  }

  async function idOf(path: string, match: (item: Record<string, unknown>) => boolean): Promise<string> {
    const { items } = await get<{ items: Record<string, unknown>[] }>(stack.apiUrl, path, stack.seededPosition);
    const found = items.find(match);
    if (!found) throw new Error(`${path} has no matching item`);
    return String(found['id']);
  }

  it('serves the second anonymous request of a bike page from the cache, with its transfer state and a fresh nonce', async () => {
    const first = await page(bikePage);
    expect(first.status).toBe(200);
    expect(first.cache).toBe('miss');
    const second = await page(bikePage);
    expect(second.cache).toBe('hit');
    expect(second.html).toContain('Slip-On Line (Titanium)');
    // Hydration needs the answers in the page, so it sends no request of its own.
    const state = /<script id="ng-state" type="application\/json">(.*?)<\/script>/s.exec(second.html);
    expect(state?.[1]).toContain(`"slug":"${FULL_STACK_BIKE_SLUG}"`);
    const nonce = (html: string) => /<script[^>]*nonce="([^"]+)"/.exec(html)?.[1];
    expect(nonce(second.html)).toBeDefined();
    expect(nonce(second.html)).not.toBe(nonce(first.html));
  });

  it('keeps the page a hit when another bike changes', async () => {
    await page(bikePage);
    const otherBike = await get<{ id: string }>(stack.apiUrl, `/api/bikes/${OTHER_BIKE_SLUG}`, stack.seededPosition);
    const partId = await idOf('/api/parts?limit=100', (part) => part['sku'] === 'YOSH-MT07-R77');
    const { position } = await send<{ position: number }>(stack.apiUrl, admin, '/api/verifications', { partId, bikeId: otherBike.id, fits: true });
    await get(stack.apiUrl, `/api/bikes/${OTHER_BIKE_SLUG}/parts`, position);
    expect((await page(bikePage)).cache).toBe('hit');
  });

  it('renders the page again, with the change, after a price on that bike', async () => {
    expect((await page(bikePage)).cache).toBe('hit');
    const partId = await idOf('/api/parts?limit=100', (part) => part['sku'] === PADS_SKU);
    const retailerId = await idOf('/api/retailers', (retailer) => retailer['name'] === 'RevZilla');
    const { position } = await send<{ position: number }>(stack.apiUrl, admin, '/api/admin/prices', {
      partId,
      retailerId,
      priceCents: 3_777,
      currency: 'USD',
      inStock: true,
      url: `https://retailer.example/revzilla/${PADS_SKU}`,
      observedAt: new Date().toISOString(),
    });
    await get(stack.apiUrl, `/api/bikes/${FULL_STACK_BIKE_SLUG}/parts`, position);
    const changed = await pageShowing(bikePage, '$37.77');
    expect(changed.html).toContain('$37.77');
    expect(changed.cache).toBe('miss');
    expect((await page(bikePage)).cache).toBe('hit');
  });

  it('never serves a signed-in request from the cache, nor stores its page', async () => {
    expect((await page(bikePage)).cache).toBe('hit');
    const signedIn = await page(bikePage, { cookie: admin.headers['cookie']! });
    expect(signedIn.status).toBe(200);
    expect(signedIn.cache).toBe('miss');
    // A page only a signed-in rider rendered is not in the cache for the next anonymous rider.
    const search = '/search?q=akrapovic';
    await page(search, { cookie: admin.headers['cookie']! });
    expect((await page(search)).cache).toBe('miss');
  });
});
