import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { BIKES, PARTS } from '@mpp/projections';
import { seedDemo } from '../demo/seed-demo.js';
import { caughtUp } from '../soak/soak-progress.js';
import { freePort, startSoakDatabase } from '../soak/soak-database.js';
import { signInRider, type Rider } from '../soak/soak-http.js';
import { readPaths } from '@mpp/generator';
import { REPO_ROOT, sleep, startProcess, waitForApi, type SoakProcess } from '../soak/soak-processes.js';

/**
 * The soak's mix one route at a time (docs/performance.md, "The soak's mix, route by route"): the
 * same API and projector processes and demo catalog as `npm run test:soak`, without its faults,
 * each route loaded alone with autocannon (`--connections`, `--seconds` each, bounded), so a change
 * to one route is seen apart from the others. Writes bench/results/soak-routes.json.
 */
const connections = numberArg('--connections', 32);
const seconds = numberArg('--seconds', 6);
const ROUTE_NAMES = ['/api/bikes?page=', '/api/bikes/:id', '/api/bikes/:id/parts', '/api/parts/:id', '/api/parts/:id/verifications', '/api/parts/:id/compatibility?bikeId=', '/api/prices/:id', '/api/search?q=', '/api/bikes/options'];

async function main(): Promise<void> {
  const db = await startSoakDatabase();
  const processes: SoakProcess[] = [];
  try {
    const url = await db.create('routes');
    const knex = db.knex('routes');
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const limits = { RATE_LIMIT_PER_MINUTE: '100000000', RATE_LIMIT_STRICT_PER_MINUTE: '100000000' };
    const api = startProcess('api', { DATABASE_URL: url, API_PORT: String(port), AUTH_DEV_LOGIN: '1', ...limits });
    processes.push(api, startProcess('projector', { DATABASE_URL: url }));
    await waitForApi(baseUrl, api);
    const seeded = await seedDemo(baseUrl, { now: new Date(), concurrency: 8 });
    while (!(await caughtUp(knex, seeded.position))) await sleep(200);
    const bikeIds: string[] = await knex(BIKES).pluck('id');
    const partIds: string[] = await knex(PARTS).pluck('id');
    const riders: Rider[] = [];
    for (let i = 0; i < 32; i++) riders.push(await signInRider(baseUrl, `route-rider-${i}@example.com`));
    const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

    const routes = readPaths({ bikeIds, partIds }, pick).map((path, i) => ({ route: ROUTE_NAMES[i]!, requests: [{ method: 'GET', setupRequest: (req: object) => ({ ...req, method: 'GET', path: path() }) }] }));
    routes.push({
      route: 'POST /api/verifications (signed in)',
      requests: [
        {
          method: 'POST',
          setupRequest: (req: object) => {
            const rider = pick(riders);
            return {
              ...req,
              method: 'POST',
              path: '/api/verifications',
              headers: { 'content-type': 'application/json', cookie: rider.cookie, 'x-csrf-token': rider.csrfToken },
              body: JSON.stringify({ partId: pick(partIds), bikeId: pick(bikeIds), fits: Math.random() < 0.8 }),
            } as never;
          },
        },
      ],
    });
    const results = [];
    for (const { route, requests } of routes) {
      const load = loadavg()[0]!;
      const result = await autocannon({ url: baseUrl, connections, duration: seconds, timeout: 10, requests });
      const row = {
        route,
        requestsPerSec: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts + result.non2xx,
        loadAverage1m: load,
      };
      results.push(row);
      process.stdout.write(`[routes] ${JSON.stringify(row)}\n`);
    }
    const out = resolve(REPO_ROOT, 'bench/results/soak-routes.json');
    mkdirSync(resolve(REPO_ROOT, 'bench/results'), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ ranAt: new Date().toISOString(), machine: { cpus: cpus().length }, connections, seconds, routes: results }, null, 2)}\n`);
    process.stdout.write(`[routes] wrote ${out}\n`);
  } finally {
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    await db.destroy();
  }
}

function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

await main();
