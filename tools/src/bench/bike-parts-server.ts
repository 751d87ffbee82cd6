/**
 * The comparison servers of the bike-parts benchmark, one plain Node http process (run by
 * api.bench.ts as a child, so it has its own event loop like the API):
 *
 *   GET /crud/bikes/:id/parts        CRUD design: GROUP BY joins over crud_* tables per request
 *                                    (also ?category=…&sort=price_asc: the filtered and sorted page)
 *   GET /read-model/bikes/:id/parts  the API's own read-model queries, without NestJS around them
 *   GET /read-model-one-statement/bikes/:id/parts  the same read model in one statement
 *   GET /cached/bikes/:id/parts      a body prepared in advance (the HTTP floor)
 *   GET /health
 *
 * Environment: DATABASE_URL, PORT, CACHED_BODIES (a JSON file {bikeId: body}), POOL_SIZE.
 * Listens on 127.0.0.1 only and prints "listening" when ready.
 */
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import pg from 'pg';
import { BikeNotFound, crudAnswer, readModelAnswer, readModelOneStatementAnswer, type BikePartsAnswer, type Page } from './bike-parts-answers.js';

const DEFAULT_LIMIT = 24;
const MAX_LIMIT = 100;
const ROUTE = /^\/(crud|read-model|read-model-one-statement|cached)\/bikes\/([^/]+)\/parts$/;
const ANSWERS = { crud: crudAnswer, 'read-model': readModelAnswer, 'read-model-one-statement': readModelOneStatementAnswer };

// The API gets bigint columns (best prices) as numbers through libs/db; the same answer needs the same parser.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: Number(process.env['POOL_SIZE'] ?? 10), application_name: 'mpp-bench-bike-parts' });
const cached = new Map<string, Buffer>(
  Object.entries(JSON.parse(readFileSync(process.env['CACHED_BODIES']!, 'utf8')) as Record<string, string>).map(([id, body]) => [id, Buffer.from(body)]),
);

function send(res: ServerResponse, status: number, body: Buffer | string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function pageOf(params: URLSearchParams): Page {
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(params.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
  return { page, limit };
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/health') return send(res, 200, '{"status":"ok"}');
  const match = ROUTE.exec(url.pathname);
  if (!match || req.method !== 'GET') return send(res, 404, '{"title":"Not Found"}');
  const [, kind, bikeId] = match as unknown as [string, keyof typeof ANSWERS | 'cached', string];
  if (kind === 'cached') {
    const body = cached.get(bikeId);
    return body ? send(res, 200, body) : send(res, 404, '{"title":"Not Found"}');
  }
  // The CRUD design also answers `?category=…&sort=price_asc`, the filtered page of the benchmark.
  const category = url.searchParams.get('category') ?? undefined;
  if (category !== undefined && (kind !== 'crud' || url.searchParams.get('sort') !== 'price_asc')) return send(res, 400, '{"title":"only /crud filters, and only with sort=price_asc"}');
  const answer: Promise<BikePartsAnswer> =
    kind === 'crud' ? crudAnswer(pool, bikeId, pageOf(url.searchParams), new Date(), category) : ANSWERS[kind](pool, bikeId, pageOf(url.searchParams), new Date());
  answer.then(
    (body) => send(res, 200, JSON.stringify(body)),
    (error: unknown) => {
      if (error instanceof BikeNotFound) return send(res, 404, '{"title":"Not Found"}');
      console.error(error);
      send(res, 500, '{"title":"Internal Server Error"}');
    },
  );
});

server.listen(Number(process.env['PORT']), '127.0.0.1', () => console.log('listening'));

function shutdown(): void {
  server.close();
  server.closeAllConnections();
  pool.end().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
