import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in API for the web benchmark: it answers what a server render of one bike page asks for
 * (GET /api/bikes/:slug/parts with a demo-sized page of parts) from memory, in the shapes apps/api
 * answers, so the benchmark measures the SSR server and not a database.
 */
export const BENCH_BIKE_SLUG = '2021-yamaha-mt-07';

const CATEGORIES = ['exhaust', 'brake-pads', 'chain-sprocket-kits', 'tyres', 'frame-sliders', 'windscreens', 'air-filters', 'levers'];
const BRANDS = ['Akrapovic', 'EBC', 'DID', 'Michelin', 'R&G', 'Puig', 'K&N', 'ASV'];
const STATUSES = ['verified', 'community', 'disputed', 'no_data'];

function bikeParts(count: number) {
  const bike = { id: '22a7d10a-521f-58ed-b998-f6459ae521ab', slug: BENCH_BIKE_SLUG, year: 2021, make: 'Yamaha', model: 'MT-07', trim: null, engineCc: 689 };
  const observedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
  const items = Array.from({ length: count }, (_, index) => {
    const category = CATEGORIES[index % CATEGORIES.length]!;
    const brand = BRANDS[index % BRANDS.length]!;
    const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    return {
      part: { id, slug: `${brand.toLowerCase().replace(/\W/g, '')}-part-${index}`, sku: `SKU-${index}`, brand, name: `Part ${index} for the MT-07`, category, description: null },
      status: STATUSES[index % STATUSES.length],
      confirmations: index % 7,
      refutations: index % 3,
      bestPrice:
        index % 5 === 4
          ? null
          : { retailer: { id: 'b0e26fd5-a098-59ce-92ea-958844d2ac2e', name: 'RevZilla' }, priceCents: 2_000 + index * 1_337, currency: 'USD', inStock: true, url: 'https://retailer.example/p', observedAt, stale: false },
    };
  });
  const facet = (values: string[]) => [...new Set(values)].map((value) => ({ value, count: values.filter((v) => v === value).length }));
  return {
    bike,
    items,
    facets: {
      category: facet(items.map((row) => row.part.category)),
      brand: facet(items.map((row) => row.part.brand)),
      status: facet(items.map((row) => row.status!)),
    },
    total: count,
    page: 1,
    limit: 50,
  };
}

export interface BenchStubApi {
  url: string;
  close(): Promise<void>;
}

export async function startBenchStubApi(partCount: number): Promise<BenchStubApi> {
  const body = JSON.stringify(bikeParts(partCount));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    if (req.method === 'GET' && path === `/api/bikes/${BENCH_BIKE_SLUG}/parts`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title: `No bench route for ${req.method} ${path}`, status: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
