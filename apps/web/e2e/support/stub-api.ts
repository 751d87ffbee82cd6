import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test double of the API (an external HTTP peer of the web): it answers the JSON apps/api answers
 * (same field names, codes and validation of the parameters the web sends) for one bike and its
 * parts, and records every request so a test can see what reached the API. full-stack.e2e-spec.ts
 * runs the same pages against the real API, which keeps this double honest.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface StubApi {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

export const STUB_BIKE = {
  id: 'bike-mt07-2021',
  slug: '2021-yamaha-mt-07',
  year: 2021,
  make: 'Yamaha',
  model: 'MT-07',
  trim: null,
  engineCc: 689,
};

const retailers = {
  revzilla: { id: 'ret-revzilla', name: 'RevZilla' },
  cycleGear: { id: 'ret-cyclegear', name: 'Cycle Gear' },
  louis: { id: 'ret-louis', name: 'Louis' },
  sportsBikeShop: { id: 'ret-sportsbikeshop', name: 'SportsBikeShop' },
  wemoto: { id: 'ret-wemoto', name: 'Wemoto' },
};

/** Set by startStubApi: retailers in three currencies, as a catalog spanning the US, UK and Germany has. */
let mixedCurrencies = false;

export const STUB_EXHAUST = {
  id: 'part-akra-mt07',
  slug: 'akrapovic-slip-on-line-titanium',
  sku: 'S-Y7SO2-HAPT',
  brand: 'Akrapovic',
  name: 'Slip-On Line (Titanium)',
  category: 'exhaust',
  description: 'Titanium slip-on muffler with carbon end cap for the Yamaha MT-07.',
};

const brakePads = {
  id: 'part-ebc-fa252hh',
  slug: 'ebc-fa252hh-sintered-brake-pads',
  sku: 'FA252HH',
  brand: 'EBC',
  name: 'FA252HH Sintered Brake Pads',
  category: 'brake-pads',
  description: null,
};

const sliders = {
  id: 'part-rg-sliders',
  slug: 'r-g-aero-frame-sliders',
  sku: 'CP0345BL',
  brand: 'R&G',
  name: 'Aero Frame Sliders',
  category: 'frame-sliders',
  description: null,
};

/**
 * With mixed currencies the euro and pound offers are numerically lower than the dollar ones, so a
 * page ranking amounts across currencies would put them first; the Wemoto offer is the cheapest
 * pound offer but out of stock, so it must never be shown as the best price.
 */
const otherCurrencyExhaustPrices = () => [
  { retailer: retailers.louis, priceCents: 84_999, currency: 'EUR', inStock: true, url: 'https://retailer3.example/akra', observedAt: hoursAgo(3), stale: false },
  { retailer: retailers.sportsBikeShop, priceCents: 74_999, currency: 'GBP', inStock: true, url: 'https://retailer4.example/akra', observedAt: hoursAgo(4), stale: false },
  { retailer: retailers.wemoto, priceCents: 69_999, currency: 'GBP', inStock: false, url: 'https://retailer5.example/akra', observedAt: hoursAgo(5), stale: false },
];

const exhaustPrices = () => [...usdExhaustPrices(), ...(mixedCurrencies ? otherCurrencyExhaustPrices() : [])];

const usdExhaustPrices = () => [
  {
    retailer: retailers.revzilla,
    priceCents: 89_900,
    currency: 'USD',
    inStock: true,
    url: 'https://retailer.example/akra',
    observedAt: hoursAgo(2),
    stale: false,
  },
  {
    retailer: retailers.cycleGear,
    priceCents: 92_999,
    currency: 'USD',
    inStock: false,
    url: 'https://retailer2.example/akra',
    observedAt: hoursAgo(30),
    stale: true,
  },
];

function bikeParts() {
  return {
    bike: STUB_BIKE,
    items: [
      { part: STUB_EXHAUST, status: 'verified', confirmations: 12, refutations: 1, bestPrice: exhaustPrices()[0] },
      {
        part: brakePads,
        status: 'community',
        confirmations: 4,
        refutations: 0,
        bestPrice: {
          retailer: retailers.cycleGear,
          priceCents: 4_295,
          currency: 'USD',
          inStock: true,
          url: 'https://retailer2.example/ebc',
          observedAt: hoursAgo(5),
          stale: false,
        },
      },
      { part: sliders, status: 'disputed', confirmations: 1, refutations: 3, bestPrice: null },
    ],
    facets: {
      category: [
        { value: 'exhaust', count: 1 },
        { value: 'brake-pads', count: 1 },
        { value: 'frame-sliders', count: 1 },
      ],
      brand: [
        { value: 'Akrapovic', count: 1 },
        { value: 'EBC', count: 1 },
        { value: 'R&G', count: 1 },
      ],
      status: [
        { value: 'verified', count: 1 },
        { value: 'community', count: 1 },
        { value: 'disputed', count: 1 },
      ],
    },
    total: 3,
    page: 1,
    limit: 50,
  };
}

const verifications: {
  verificationId: string;
  bikeId: string;
  fits: boolean;
  notes: string | null;
  contributor: { displayName: string };
  submittedAt: string;
  state: string;
  eventId: string;
  position: number;
  hash: string | null;
  prevHash: string | null;
}[] = [
  {
    verificationId: 'ver-1',
    bikeId: STUB_BIKE.id,
    fits: true,
    notes: 'Bolted straight on, no ECU flash needed.',
    contributor: { displayName: 'Sam R.' },
    submittedAt: hoursAgo(240),
    state: 'active',
    eventId: 'evt-1',
    position: 41,
    hash: 'a3f1c0de9b8e7f6a5d4c3b2a190817263544536271809a0b1c2d3e4f5a6b7c8d',
    prevHash: null,
  },
];

/** Like the API's me.view: no email echoed back. */
const ME = {
  id: 'user-1',
  displayName: 'Test Rider',
  role: 'user',
  plan: 'free',
  emailPreferences: { weeklyDigest: false },
  region: null,
  garageBike: null,
  csrfToken: 'csrf-token-1',
};

const STUB_CURRENCY_OF: Record<string, string> = { US: 'USD', GB: 'GBP', DE: 'EUR' };

function priceHistory() {
  const items = [];
  for (let day = 6; day >= 0; day--) {
    const date = new Date(Date.now() - day * 86_400_000).toISOString().slice(0, 10);
    items.push({ retailerId: retailers.revzilla.id, day: date, priceCents: 94_900 - (6 - day) * 800, currency: 'USD' });
    items.push({ retailerId: retailers.cycleGear.id, day: date, priceCents: 92_999, currency: 'USD' });
    if (mixedCurrencies) items.push({ retailerId: retailers.louis.id, day: date, priceCents: 86_999 - (6 - day) * 300, currency: 'EUR' });
  }
  return { items };
}

export interface StubOptions {
  /** false: the API runs without AUTH_DEV_LOGIN, so POST /auth/dev-login is not mounted (404). */
  devLogin?: boolean;
  /** false: no Google client is configured. */
  google?: boolean;
  /** true: the exhaust also has euro and pound offers, and the brake pads are priced in euros. */
  mixedCurrencies?: boolean;
}

/** A tyre that fits many bikes (reachable by its slug only, so catalog listings stay as they are). */
export const STUB_WIDE_FIT_TYRE = {
  id: 'part-pirelli-rosso-iv',
  slug: 'pirelli-diablo-rosso-iv-180-55-17',
  sku: '3979000',
  brand: 'Pirelli',
  name: 'Diablo Rosso IV 180/55 ZR17',
  category: 'tyres',
  description: null,
};

function wideFitTyre() {
  const makes = ['Yamaha', 'Honda', 'Kawasaki', 'Suzuki', 'Triumph'];
  const fitment = Array.from({ length: 30 }, (_, index) => {
    const year = 2015 + (index % 6);
    const make = makes[index % makes.length];
    const model = `Model ${index + 1}`;
    const slug = `${year}-${make}-${model}`.toLowerCase().replace(/\s+/g, '-');
    return { bike: { id: `bike-${slug}`, slug, year, make, model, trim: null, engineCc: 600 }, status: 'verified', confirmations: 0, refutations: 0 };
  });
  return { ...STUB_WIDE_FIT_TYRE, attributes: {}, prices: [], fitment };
}

export async function startStubApi(options: StubOptions = {}): Promise<StubApi> {
  const providers = { google: options.google ?? true, devLogin: options.devLogin ?? true };
  mixedCurrencies = options.mixedCurrencies ?? false;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      route(req, res, body, providers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Like the API's BIKE_PART_SORTS: anything else is a 400 naming the field. */
const BIKE_PART_SORTS = ['relevance', 'price_asc', 'price_desc', 'confirmations', 'name'];

function route(req: IncomingMessage, res: ServerResponse, body: string, providers: { google: boolean; devLogin: boolean }): void {
  const devLogin = providers.devLogin;
  const url = new URL(req.url ?? '/', 'http://stub');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const signedIn = /(^|;\s*)mpp_session=/.test(req.headers.cookie ?? '');

  if (method === 'GET' && path === '/api/bikes/options') {
    const year = url.searchParams.get('year');
    const make = url.searchParams.get('make');
    return json(res, 200, {
      years: [2022, 2021],
      makes: year ? ['Honda', 'Yamaha'] : [],
      models: year && make === 'Yamaha' ? ['MT-07', 'Tenere 700'] : [],
    });
  }
  if (method === 'GET' && path === '/api/bikes') {
    const model = url.searchParams.get('model');
    const items = !model || model === STUB_BIKE.model ? [STUB_BIKE] : [];
    return json(res, 200, { items, total: items.length, page: 1, limit: Number(url.searchParams.get('limit') ?? 20) });
  }
  if (method === 'GET' && path === `/api/bikes/${STUB_BIKE.slug}/parts`) {
    const sort = url.searchParams.get('sort');
    if (sort !== null && !BIKE_PART_SORTS.includes(sort)) {
      return problem(res, 400, 'Bad Request', [{ field: 'sort', message: `sort must be one of the following values: ${BIKE_PART_SORTS.join(', ')}` }]);
    }
    return json(res, 200, bikeParts());
  }
  if (method === 'GET' && path === `/api/bikes/${STUB_BIKE.slug}`) return json(res, 200, STUB_BIKE);
  if (method === 'GET' && path.startsWith('/api/bikes/')) return problem(res, 404, 'Bike not found');

  if (method === 'GET' && (path === `/api/parts/${STUB_EXHAUST.slug}` || path === `/api/parts/${STUB_EXHAUST.id}`)) {
    return json(res, 200, {
      ...STUB_EXHAUST,
      attributes: { material: 'titanium' },
      prices: exhaustPrices(),
      fitment: [{ bike: STUB_BIKE, status: 'verified', confirmations: 12, refutations: 1 }],
    });
  }
  if (method === 'GET' && path === `/api/parts/${STUB_WIDE_FIT_TYRE.slug}`) return json(res, 200, wideFitTyre());
  if (method === 'GET' && path === `/api/parts/${STUB_WIDE_FIT_TYRE.id}/verifications`) return json(res, 200, { items: [], chainValid: true, chains: [] });
  if (method === 'GET' && path === `/api/prices/${STUB_WIDE_FIT_TYRE.id}/history`) return json(res, 200, { items: [] });
  if (method === 'GET' && path === `/api/parts/${STUB_EXHAUST.id}/verifications`) {
    return json(res, 200, {
      items: [...verifications].reverse(),
      chainValid: true,
      chains: [{ bikeId: STUB_BIKE.id, valid: true, lastHash: verifications.at(-1)?.hash ?? null, eventCount: verifications.length }],
    });
  }
  const compatibility = /^\/api\/parts\/([^/]+)\/compatibility$/.exec(path);
  if (method === 'GET' && compatibility) {
    const part = catalog.find((entry) => entry.id === compatibility[1] || entry.slug === compatibility[1]);
    if (!part) return problem(res, 404, 'Part not found');
    const bikeId = url.searchParams.get('bikeId') ?? '';
    if (bikeId !== STUB_BIKE.id) return problem(res, 404, 'Bike not found');
    const status = statusOf(part.id);
    return json(res, 200, {
      partId: part.id,
      bikeId,
      asOf: null,
      status,
      confirmations: part.id === STUB_EXHAUST.id ? 12 : status === 'disputed' ? 1 : 4,
      refutations: part.id === STUB_EXHAUST.id ? 1 : status === 'disputed' ? 3 : 0,
      officialSource: null,
    });
  }
  if (method === 'GET' && path === '/api/parts') {
    const page = Number(url.searchParams.get('page') ?? 1);
    const limit = Number(url.searchParams.get('limit') ?? 24);
    const sorted = [...catalog].sort((a, b) => `${a.brand} ${a.name}`.localeCompare(`${b.brand} ${b.name}`));
    return json(res, 200, { items: sorted.slice((page - 1) * limit, page * limit), total: sorted.length, page, limit });
  }
  if (method === 'GET' && path === '/api/verifications/recent') {
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const items = [...verifications]
      .reverse()
      .filter((entry) => entry.state === 'active')
      .slice(0, limit)
      .map((entry) => ({
        verificationId: entry.verificationId,
        fits: entry.fits,
        submittedAt: entry.submittedAt,
        contributor: entry.contributor,
        part: { id: STUB_EXHAUST.id, slug: STUB_EXHAUST.slug, brand: STUB_EXHAUST.brand, name: STUB_EXHAUST.name, category: STUB_EXHAUST.category },
        bike: { id: STUB_BIKE.id, slug: STUB_BIKE.slug, year: STUB_BIKE.year, make: STUB_BIKE.make, model: STUB_BIKE.model, trim: STUB_BIKE.trim },
      }));
    return json(res, 200, { items });
  }
  if (method === 'GET' && path.startsWith('/api/parts/')) return problem(res, 404, 'Part not found');
  if (method === 'GET' && path === `/api/prices/${STUB_EXHAUST.id}/history`) return json(res, 200, priceHistory());

  if (method === 'GET' && path === '/api/search') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const bikeId = url.searchParams.get('bikeId');
    const hits = catalog
      .filter((part) => `${part.brand} ${part.name} ${part.category}`.toLowerCase().includes(q))
      .map((part) => ({
        ...part,
        bestPriceCents: bestPriceCents[part.id] ?? null,
        currency: bestPriceCents[part.id] ? (mixedCurrencies && part.id === brakePads.id ? 'EUR' : 'USD') : null,
        // Like the API: the pair status only when the query names a bike.
        status: bikeId ? statusOf(part.id) : null,
        confirmations: part.id === STUB_EXHAUST.id ? 12 : 0,
        refutations: part.id === STUB_EXHAUST.id ? 1 : 0,
      }));
    const facet = (values: string[]) => [...new Set(values)].map((value) => ({ value, count: values.filter((v) => v === value).length }));
    return json(res, 200, {
      hits,
      facets: {
        category: facet(hits.map((hit) => hit.category)),
        brand: facet(hits.map((hit) => hit.brand)),
        status: facet(hits.map((hit) => statusOf(hit.id))),
      },
      total: hits.length,
      exhaustive: { total: true, facets: true },
      engine: 'postgres',
      page: 1,
      limit: Number(url.searchParams.get('limit') ?? 24),
    });
  }

  if (method === 'PUT' && path === '/api/me/rider-preferences') {
    if (!signedIn) return problem(res, 401, 'Not signed in');
    const input = parseJson(body) ?? {};
    return json(res, 200, { region: input.region ?? null, garageBike: null, position: 1 });
  }
  if (method === 'GET' && path === '/api/billing/pro-price') {
    const region = url.searchParams.get('region') ?? 'US';
    const currency = STUB_CURRENCY_OF[region] ?? 'USD';
    const prices = [{ amountCents: 499, currency: 'USD' }, { amountCents: 449, currency: 'GBP' }, { amountCents: 499, currency: 'EUR' }];
    return json(res, 200, {
      plan: 'pro', region, currency, interval: 'month', source: 'configured',
      price: prices.find((price) => price.currency === currency) ?? null,
      otherPrices: prices.filter((price) => price.currency !== currency),
    });
  }
  if (method === 'GET' && path === '/api/me') {
    return signedIn ? json(res, 200, ME) : problem(res, 401, 'Not signed in');
  }
  if (method === 'GET' && path === '/auth/providers') return json(res, 200, providers);
  if (method === 'POST' && path === '/auth/dev-login' && devLogin) {
    const input = parseJson(body);
    if (!input?.email || !input?.displayName) return problem(res, 400, 'email and displayName are required');
    res.setHeader('Set-Cookie', [
      'mpp_session=stub-session; Path=/; HttpOnly; SameSite=Lax',
      `csrf=${ME.csrfToken}; Path=/; SameSite=Lax`,
    ]);
    return json(res, 200, { ...ME, displayName: input.displayName });
  }
  if (method === 'GET' && path === '/api/verifications/mine') {
    if (!signedIn) return problem(res, 401, 'Not signed in');
    const items = [...verifications]
      .reverse()
      .filter((entry) => entry.contributor.displayName === ME.displayName)
      .map((entry) => ({ verificationId: entry.verificationId, bikeId: entry.bikeId, lifecycle: entry.state }));
    return json(res, 200, { items });
  }
  const retract = /^\/api\/verifications\/([^/]+)\/retract$/.exec(path);
  if (method === 'POST' && retract) {
    if (!signedIn) return problem(res, 401, 'Not signed in');
    if (req.headers['x-csrf-token'] !== ME.csrfToken) return problem(res, 403, 'CSRF token missing or wrong');
    const entry = verifications.find((candidate) => candidate.verificationId === retract[1]);
    if (!entry) return problem(res, 404, 'Verification not found');
    if (entry.contributor.displayName !== ME.displayName) return problem(res, 403, 'Not your verification');
    entry.state = 'retracted';
    const position = 300 + verifications.length;
    return json(res, 200, { verificationId: entry.verificationId, eventId: `evt-${position}`, position });
  }
  if (method === 'POST' && path === '/api/verifications') {
    if (!signedIn) return problem(res, 401, 'Not signed in');
    if (req.headers['x-csrf-token'] !== ME.csrfToken) return problem(res, 403, 'CSRF token missing or wrong');
    const input = parseJson(body);
    const position = 42 + verifications.length;
    const verificationId = `ver-${verifications.length + 1}`;
    verifications.push({
      verificationId,
      bikeId: String(input?.bikeId),
      fits: Boolean(input?.fits),
      notes: typeof input?.notes === 'string' ? input.notes : null,
      contributor: { displayName: ME.displayName },
      submittedAt: new Date().toISOString(),
      state: 'active',
      eventId: `evt-${position}`,
      position,
      hash: `${position}`.padStart(64, 'f'),
      prevHash: verifications[verifications.length - 1]?.hash ?? null,
    });
    return json(res, 201, { verificationId, eventId: `evt-${position}`, position });
  }
  if (path === '/api/builds' || path.startsWith('/api/builds/')) return routeBuilds(req, res, path, body, signedIn);
  if (method === 'GET' && path.startsWith('/go/')) {
    res.writeHead(302, { Location: 'https://retailer.example/akra' });
    return void res.end();
  }
  if (method === 'GET' && path === '/api/echo') {
    res.setHeader('Set-Cookie', 'echo=1; Path=/');
    return json(res, 200, { cookie: req.headers.cookie ?? null });
  }
  return problem(res, 404, `No stub route for ${method} ${path}`);
}

interface StubBuild {
  id: string;
  name: string;
  ownerId: string;
  visibility: string;
  revision: number;
  parts: { partId: string; quantity: number; note?: string }[];
  updatedAt: string;
  deleted?: boolean;
}

const catalog = [STUB_EXHAUST, brakePads, sliders];
const statusOf = (partId: string) => (partId === sliders.id ? 'disputed' : partId === brakePads.id ? 'community' : 'verified');
const bestPriceCents: Record<string, number> = { [STUB_EXHAUST.id]: 89_900, [brakePads.id]: 4_295 };

export const STUB_PUBLIC_BUILD_ID = 'build-public-1';

const builds = new Map<string, StubBuild>([
  [
    STUB_PUBLIC_BUILD_ID,
    {
      id: STUB_PUBLIC_BUILD_ID,
      name: 'Loud and stopping',
      ownerId: 'user-someone-else',
      visibility: 'public',
      revision: 3,
      parts: [
        { partId: STUB_EXHAUST.id, quantity: 1 },
        { partId: brakePads.id, quantity: 2 },
      ],
      updatedAt: hoursAgo(50),
    },
  ],
]);

/**
 * The build read model as apps/api's builds.query.ts answers it: lines, warnings, and one total in
 * the region's currency (`riderCurrency`); a line priced only in another currency is left out of it.
 */
function buildView(build: StubBuild, riderCurrency = 'USD') {
  const lines = build.parts.map((line) => {
    const part = catalog.find((entry) => entry.id === line.partId) ?? STUB_EXHAUST;
    const cents = bestPriceCents[part.id];
    const currency = mixedCurrencies && part.id === brakePads.id ? 'EUR' : 'USD';
    return {
      part,
      quantity: line.quantity,
      note: line.note ?? null,
      status: statusOf(part.id),
      offer: cents
        ? { retailer: currency === 'EUR' ? retailers.louis : retailers.revzilla, priceCents: cents, currency, inStock: true, url: 'https://retailer.example', observedAt: hoursAgo(1), stale: false }
        : null,
    };
  }).map(({ offer, ...line }) => ({
    ...line,
    bestPrice: offer?.currency === riderCurrency ? offer : null,
    otherPrices: offer && offer.currency !== riderCurrency ? [offer] : [],
  }));
  const warnings = lines
    .filter((line) => line.status === 'disputed')
    .map((line) => ({
      code: 'part_not_known_to_fit',
      message: `${line.part.brand} ${line.part.name} is not known to fit this bike.`,
      partIds: [line.part.id],
    }));
  const total = lines.reduce((sum, line) => sum + (line.bestPrice ? line.bestPrice.priceCents * line.quantity : 0), 0);
  return {
    id: build.id,
    name: build.name,
    ownerId: build.ownerId,
    owner: { displayName: build.ownerId === ME.id ? ME.displayName : 'Alex P.' },
    bike: STUB_BIKE,
    visibility: build.visibility,
    revision: build.revision,
    createdAt: hoursAgo(72),
    updatedAt: build.updatedAt,
    parts: lines,
    warnings,
    region: Object.keys(REGION_CURRENCY).find((code) => REGION_CURRENCY[code] === riderCurrency) ?? 'US',
    totalPriceCents: total,
    currency: riderCurrency,
    totals: [{ amountCents: total, currency: riderCurrency }],
    unpricedPartIds: lines.filter((line) => !line.bestPrice).map((line) => line.part.id),
  };
}

const REGION_CURRENCY: Record<string, string> = { US: 'USD', GB: 'GBP', DE: 'EUR', FR: 'EUR', IE: 'EUR' };

/** The currency of the request's `region`, as the API resolves it (absent: US). */
function currencyOf(req: IncomingMessage): string {
  const region = new URL(req.url ?? '/', 'http://stub').searchParams.get('region') ?? 'US';
  return REGION_CURRENCY[region] ?? 'USD';
}

function routeBuilds(req: IncomingMessage, res: ServerResponse, path: string, body: string, signedIn: boolean): void {
  const method = req.method ?? 'GET';
  const id = decodeURIComponent(path.slice('/api/builds/'.length));
  if (method === 'GET' && path === '/api/builds') {
    if (!signedIn) return problem(res, 401, 'Not signed in');
    const mine = [...builds.values()].filter((build) => build.ownerId === ME.id && !build.deleted).map((build) => buildView(build, currencyOf(req)));
    return json(res, 200, {
      items: mine.map((build) => ({
        id: build.id,
        name: build.name,
        bike: build.bike,
        visibility: build.visibility,
        revision: build.revision,
        partCount: build.parts.length,
        totalPriceCents: build.totalPriceCents,
        currency: build.currency,
        totals: build.totals,
        unpricedPartCount: build.unpricedPartIds.length,
        warnings: build.warnings.length,
        updatedAt: build.updatedAt,
      })),
    });
  }
  if (method === 'POST' && path === '/api/builds') {
    if (!signedIn) return problem(res, 401, 'Not signed in');
    if (req.headers['x-csrf-token'] !== ME.csrfToken) return problem(res, 403, 'CSRF token missing or wrong');
    const input = parseJson(body) ?? {};
    const build: StubBuild = {
      id: `build-${builds.size + 1}`,
      name: String(input['name']),
      ownerId: ME.id,
      visibility: String(input['visibility'] ?? 'private'),
      revision: 1,
      parts: (input['parts'] as StubBuild['parts']) ?? [],
      updatedAt: new Date().toISOString(),
    };
    builds.set(build.id, build);
    return json(res, 201, { id: build.id, revision: build.revision, position: 100 + builds.size });
  }
  // Like the API's UuidParam: an id that is not a UUID (nor one this stub issued) is a 400 naming it.
  if (!/^build-[\w-]+$/.test(id) && !/^[0-9a-f-]{36}$/i.test(id)) return problem(res, 400, 'Bad Request', [{ field: 'id', message: 'id must be a UUID' }]);
  const build = builds.get(id);
  if (!build || build.deleted) return problem(res, 404, 'Build not found');
  if (method === 'GET') {
    if (build.visibility === 'private' && (!signedIn || build.ownerId !== ME.id)) return problem(res, 404, 'Build not found');
    return json(res, 200, buildView(build, currencyOf(req)));
  }
  if (method === 'PUT') {
    if (!signedIn) return problem(res, 401, 'Not signed in');
    if (build.ownerId !== ME.id) return problem(res, 403, 'Not your build');
    if (req.headers['x-csrf-token'] !== ME.csrfToken) return problem(res, 403, 'CSRF token missing or wrong');
    if (req.headers['if-match'] !== String(build.revision)) return problem(res, 412, 'Stale revision');
    const input = parseJson(body) ?? {};
    build.parts = (input['parts'] as StubBuild['parts']) ?? build.parts;
    if (typeof input['name'] === 'string') build.name = input['name'];
    if (typeof input['visibility'] === 'string') build.visibility = input['visibility'];
    build.revision += 1;
    build.updatedAt = new Date().toISOString();
    return json(res, 200, { id: build.id, revision: build.revision, position: 200 + build.revision });
  }
  if (method === 'DELETE') {
    if (!signedIn) return problem(res, 401, 'Not signed in');
    if (build.ownerId !== ME.id) return problem(res, 403, 'Not your build');
    if (req.headers['x-csrf-token'] !== ME.csrfToken) return problem(res, 403, 'CSRF token missing or wrong');
    if (req.headers['if-match'] === undefined) return problem(res, 428, 'Send If-Match');
    if (req.headers['if-match'] !== String(build.revision)) return problem(res, 412, 'Stale revision');
    build.deleted = true;
    return json(res, 200, { id: build.id, position: 400 + build.revision });
  }
  return problem(res, 405, 'Method not allowed');
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch (error) {
    console.warn(`stub API got a body that is not JSON: ${(error as Error).message}`);
    return null;
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function problem(res: ServerResponse, status: number, title: string, errors?: { field: string; message: string }[]): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title, status, ...(errors ? { errors } : {}) }));
}
