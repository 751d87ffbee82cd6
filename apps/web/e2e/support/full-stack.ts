import { startApiUnderTest, type ApiUnderTest, startProjectorUnderTest, type ProjectorUnderTest } from '@mpp/api/testing';
import { FULL_STACK_BIKE_SLUG, FULL_STACK_CATALOG } from './full-stack-catalog.js';

/**
 * The real back end for the full-stack browser suite: a fresh migrated database, the real API
 * listening on a free port, and the real projector in this process. The catalog and its prices go
 * in through the public admin routes, as an operator would load them.
 */
export interface RealStack {
  apiUrl: string;
  /** The highest log position the seeding produced; the read models have reached it on return. */
  seededPosition: number;
  /** Status of GET /api/search on this API once the seeding is projected. */
  searchStatus: number;
  /** Puts a rider on a plan directly in the users table (billing is Stripe's; the suite has none). */
  setPlan(userId: string, plan: 'free' | 'pro'): Promise<void>;
  stop(): Promise<void>;
}

/** Loads a catalog and prices into a fresh stack; answers the highest log position it produced. */
export type Seed = (apiUrl: string) => Promise<number>;

export interface AdminSession {
  headers: Record<string, string>;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** `env`: extra API settings (e.g. PRO_DISPLAY_PRICES), as a deployment would set them. */
export async function startRealStack(seedWith: Seed = seed, env: Record<string, string> = {}): Promise<RealStack> {
  let api: ApiUnderTest | undefined;
  let projector: ProjectorUnderTest | undefined;
  const stop = async () => {
    await projector?.stop();
    await api?.close();
  };
  try {
    api = await startApiUnderTest(env);
    await api.app.listen(0, '127.0.0.1');
    projector = await startProjectorUnderTest(api.db);
    const apiUrl = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    const seededPosition = await seedWith(apiUrl);
    await waitUntilProjected(apiUrl, `/api/bikes/${FULL_STACK_BIKE_SLUG}/parts`, seededPosition);
    const searchStatus = (await fetch(`${apiUrl}/api/search?q=akrapovic`, { headers: { 'X-Min-Position': String(seededPosition) } })).status;
    const knex = api.db.knex;
    const setPlan = async (userId: string, plan: 'free' | 'pro') => {
      await knex('users').where({ id: userId }).update({ plan });
    };
    return { apiUrl, seededPosition, searchStatus, setPlan, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function seed(apiUrl: string): Promise<number> {
  const admin = await signInAsAdmin(apiUrl);
  let position = (await send<{ position: number }>(apiUrl, admin, '/api/admin/catalog/import', FULL_STACK_CATALOG)).position;
  const parts = await get<{ items: { id: string; sku: string }[] }>(apiUrl, '/api/parts?limit=100', position);
  const retailers = await get<{ items: { id: string; name: string }[] }>(apiUrl, '/api/retailers', position);
  const partId = (sku: string) => parts.items.find((part) => part.sku === sku)!.id;
  const retailerId = (name: string) => retailers.items.find((retailer) => retailer.name === name)!.id;
  const now = Date.now();
  const observations = [
    // A week of falling prices for the Akrapovic at RevZilla (the history chart), oldest first so the latest is current.
    ...[6, 5, 4, 3, 2, 1].map((daysAgo) => ({
      sku: 'S-Y7SO2-HAPT',
      retailer: 'RevZilla',
      priceCents: 89_900 + daysAgo * 1_000,
      inStock: true,
      observedAt: now - daysAgo * DAY_MS,
    })),
    { sku: 'S-Y7SO2-HAPT', retailer: 'RevZilla', priceCents: 89_900, inStock: true, observedAt: now - HOUR_MS },
    // Checked 30 hours ago: the page must mark it stale.
    { sku: 'S-Y7SO2-HAPT', retailer: 'Cycle Gear', priceCents: 92_999, inStock: false, observedAt: now - 30 * HOUR_MS },
    { sku: 'YOSH-MT07-R77', retailer: 'RevZilla', priceCents: 129_900, inStock: true, observedAt: now - 2 * HOUR_MS },
    { sku: 'FA252HH', retailer: 'Cycle Gear', priceCents: 4_295, inStock: true, observedAt: now - 3 * HOUR_MS },
  ];
  for (const observation of observations) {
    const recorded = await send<{ position: number }>(apiUrl, admin, '/api/admin/prices', {
      partId: partId(observation.sku),
      retailerId: retailerId(observation.retailer),
      priceCents: observation.priceCents,
      currency: 'USD',
      inStock: observation.inStock,
      url: `https://retailer.example/${observation.retailer.replace(/\W/g, '').toLowerCase()}/${observation.sku}`,
      observedAt: new Date(observation.observedAt).toISOString(),
    });
    position = Math.max(position, recorded.position);
  }
  return position;
}

export async function signInAsAdmin(apiUrl: string): Promise<AdminSession> {
  const response = await fetch(`${apiUrl}/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'catalog-admin@example.com', displayName: 'Catalog admin', role: 'admin' }),
  });
  if (!response.ok) throw new Error(`POST /auth/dev-login answered ${response.status}: ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return { headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken } };
}

export async function send<T>(apiUrl: string, admin: AdminSession, path: string, body: unknown): Promise<T> {
  const response = await fetch(apiUrl + path, { method: 'POST', headers: admin.headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function get<T>(apiUrl: string, path: string, minPosition: number): Promise<T> {
  const response = await fetch(apiUrl + path, { headers: { 'X-Min-Position': String(minPosition) } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The web renders without X-Min-Position, so the read models must have caught up before a page is opened. */
async function waitUntilProjected(apiUrl: string, path: string, position: number): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const response = await fetch(apiUrl + path, { headers: { 'X-Min-Position': String(position) } });
    if (response.ok && response.headers.get('x-consistent') === 'true') return;
  }
  throw new Error(`the projections did not reach position ${position} in time`);
}
