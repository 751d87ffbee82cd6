/**
 * The live search-document write (docs/performance.md, "Session 12"): where one verification's
 * document UPDATE spends its time, on the demo catalog the soak seeds.
 *
 *   tsc -b tools && node tools/dist/bench/search-document-write.bench.js [--quick]
 *
 * Builds one schema per variant (as it is, without the GIN indexes, GIN fastupdate off, without the
 * facet triggers, with only the pkey, slug and position indexes) from the same events through the
 * projection's real createTables and applyBatch, then applies the soak's verifications (a random part
 * × a random bike, one per batch) to every schema in turn. Each batch's document UPDATE runs under
 * EXPLAIN (ANALYZE, BUFFERS, WAL) inside the real batch, and is reported by scope (`bikes`: the
 * searched bikes change, `counts`: only counts). Writes search-document-write.json. A benchmark
 * reports, it never asserts on time.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { createKnex, migrateToLatest } from '@mpp/db';
import { bikeIdFor, bikeStream, fitmentStream, partIdFor, partStream } from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import type { ProjectionContext } from '@mpp/projection-runner';
import { searchDocumentsProjection } from '@mpp/projections';
import { DEMO_CATALOG } from '../demo/demo-catalog.js';
import { benchMode, machineInfo, percentiles, writeBenchResult } from './bench-report.js';
import { openScratchDatabase, serverVersion } from './bench-postgres.js';
import { seededRandom } from './search-catalog.js';

const batches = { smoke: 20, quick: 100, full: 300 }[benchMode()];
const GIN = ['vector', 'bike_ids', 'fits'];
const VARIANTS: Record<string, (schema: string) => string[]> = {
  'as it is': () => [],
  'without the GIN indexes': (schema) => GIN.map((index) => `DROP INDEX ${schema}.search_documents_${index}`),
  'GIN fastupdate off': (schema) => GIN.map((index) => `ALTER INDEX ${schema}.search_documents_${index} SET (fastupdate = off)`),
  'without the facet triggers': (schema) => [`ALTER TABLE ${schema}.search_documents DISABLE TRIGGER USER`],
  'only pkey, slug and position indexes': (schema) => [
    `DO $$ DECLARE i text; BEGIN
       FOR i IN SELECT indexrelid::regclass::text FROM pg_index
                 WHERE indrelid = '${schema}.search_documents'::regclass AND NOT indisprimary AND NOT indisunique
                   AND indexrelid::regclass::text NOT LIKE '%updated_position'
       LOOP EXECUTE 'DROP INDEX ' || i; END LOOP; END $$`,
  ],
};

/** Per call, in ms (WAL in KB): one array per measure. */
type Samples = Record<'planning' | 'execution' | 'aggregate' | 'write' | 'trigger' | 'walKb' | 'bikes', number[]>;

interface PlanNode {
  'Node Type': string;
  Strategy?: string;
  'Actual Total Time': number;
  'Actual Rows': number;
  'WAL Bytes'?: number;
  Plans?: PlanNode[];
}

interface Explained {
  Plan: PlanNode;
  'Planning Time': number;
  'Execution Time': number;
  Triggers?: { Time: number }[];
}

async function main(): Promise<void> {
  const database = await openScratchDatabase();
  const knex = createKnex(database.url, { applicationName: 'mpp-bench-search-write', poolMax: 2 });
  try {
    await migrateToLatest(knex);
    const history = demoHistory();
    const schemas = Object.keys(VARIANTS).map((_, i) => `search_write_${i}`);
    for (const [i, setup] of Object.values(VARIANTS).entries()) {
      const schema = schemas[i]!;
      await knex.raw(`CREATE SCHEMA ${schema}`);
      await searchDocumentsProjection.createTables(knex, schema);
      for (const events of history.seed) await knex.transaction((trx) => searchDocumentsProjection.applyBatch(events, contextOf(schema, trx)));
      for (const statement of setup(schema)) await knex.raw(statement);
      await knex.raw(`VACUUM ANALYZE ${schema}.search_documents`);
    }
    const loadBefore = loadAverage();
    const samples = schemas.map(() => new Map<string, Samples>());
    for (const events of history.verifications) {
      for (const [i, schema] of schemas.entries()) {
        await knex.transaction((trx) => searchDocumentsProjection.applyBatch(events, contextOf(schema, explaining(trx, samples[i]!))));
      }
    }
    const loadAfter = loadAverage();
    const variants = Object.keys(VARIANTS).map((name, i) => ({
      name,
      scopes: Object.fromEntries([...samples[i]!].map(([scope, measures]) => [scope, summarise(measures)])),
    }));
    const report = {
      benchmark: 'search-document-write',
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      postgres: await serverVersion(database.url),
      catalog: { bikes: history.bikes, parts: history.parts, officialPairs: history.pairs, verificationBatches: batches },
      load: { before: loadBefore, after: loadAfter },
      variants,
    };
    for (const variant of variants) {
      console.log(`\n${variant.name}`);
      console.table(Object.entries(variant.scopes).flatMap(([scope, measures]) => Object.entries(measures).map(([measure, stats]) => ({ scope, measure, ...stats }))));
    }
    console.log(`load ${loadBefore} -> ${loadAfter}; written ${writeBenchResult('search-document-write', report)}`);
  } finally {
    await knex.destroy();
    await database.dispose();
  }
}

/** The demo catalog as the soak seeds it, 2,000 verifications of official pairs, then the soak's verifications. */
function demoHistory() {
  const random = seededRandom(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let position = 1;
  const recorded = (events: { stream: string; type: string; data: Record<string, unknown> }[]): RecordedEvent[] =>
    events.map((event) => ({
      streamId: event.stream,
      revision: 0n,
      position: BigInt(position++),
      eventId: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:bench', schemaVersion: 1, occurredAt: '2026-01-01T12:00:00.000Z' },
      createdAt: new Date('2026-01-01T12:00:00.000Z'),
    }));
  const bikes = DEMO_CATALOG.bikes.flatMap((bike) =>
    Array.from({ length: bike.years[1] - bike.years[0] + 1 }, (_, n) => ({ year: bike.years[0] + n, make: bike.make, model: bike.model })),
  );
  const bikeIds = bikes.map((bike) => bikeIdFor(bike.year, bike.make, bike.model));
  const partIds = DEMO_CATALOG.parts.map((part) => partIdFor(part.sku));
  const pairs = DEMO_CATALOG.fitment.flatMap((fit) =>
    Array.from({ length: fit.years[1] - fit.years[0] + 1 }, (_, n) => ({ partId: partIdFor(fit.sku), bikeId: bikeIdFor(fit.years[0] + n, fit.make, fit.model) })),
  );
  const verification = (pair: { partId: string; bikeId: string }, userId: string) => ({
    stream: fitmentStream(pair.partId, pair.bikeId),
    type: 'VerificationSubmitted',
    data: { verificationId: randomUUID(), ...pair, userId, fits: random() < 0.8 },
  });
  const seed = [
    recorded(bikes.map((bike, i) => ({ stream: bikeStream(bikeIds[i]!), type: 'BikeRegistered', data: { bikeId: bikeIds[i]!, ...bike } }))),
    recorded(
      DEMO_CATALOG.parts.map((part, i) => ({
        stream: partStream(partIds[i]!),
        type: 'PartCataloged',
        data: { partId: partIds[i]!, sku: part.sku, brand: part.brand, name: part.name, category: part.category, description: part.description },
      })),
    ),
  ];
  for (let i = 0; i < pairs.length; i += 200) {
    seed.push(recorded(pairs.slice(i, i + 200).map((pair) => ({ stream: fitmentStream(pair.partId, pair.bikeId), type: 'FitmentPublished', data: { ...pair, source: 'manufacturer' } }))));
  }
  for (let i = 0; i < 20; i++) seed.push(recorded(Array.from({ length: 100 }, () => verification(pick(pairs), `user-${Math.floor(random() * 50)}`))));
  // What tools/src/soak/soak.ts posts: a random part and a random bike.
  const verifications = Array.from({ length: batches }, () => recorded([verification({ partId: pick(partIds), bikeId: pick(bikeIds) }, `rider-${Math.floor(random() * 10)}`)]));
  return { seed, verifications, bikes: bikes.length, parts: partIds.length, pairs: pairs.length };
}

function contextOf(schema: string, trx: Knex.Transaction): ProjectionContext {
  return { trx, generation: 1, table: (name) => trx.withSchema(schema).table(name), qualified: (name) => `"${schema}"."${name}"` };
}

/** The transaction with its document UPDATE (the statement that aggregates the bikes) run under EXPLAIN, by scope. */
function explaining(trx: Knex.Transaction, samples: Map<string, Samples>): Knex.Transaction {
  const raw = (sql: string, bindings: readonly Knex.Value[]) => {
    if (!/UPDATE/.test(sql) || !/jsonb_agg/.test(sql)) return trx.raw(sql, bindings);
    const scope = /brand = t\.brand/.test(sql) ? 'fields' : /searched_bikes =/.test(sql) ? 'bikes' : 'counts';
    return trx.raw<{ rows: { 'QUERY PLAN': Explained[] }[] }>(`EXPLAIN (ANALYZE, BUFFERS, WAL, FORMAT JSON) ${sql}`, bindings).then((result) => {
      record(samples, scope, result.rows[0]!['QUERY PLAN'][0]!);
      return result;
    });
  };
  return new Proxy(trx, { get: (target, key) => (key === 'raw' ? raw : Reflect.get(target, key)) });
}

function record(samples: Map<string, Samples>, scope: string, explained: Explained): void {
  const measures = samples.get(scope) ?? { planning: [], execution: [], aggregate: [], write: [], trigger: [], walKb: [], bikes: [] };
  samples.set(scope, measures);
  const update = explained.Plan;
  const aggregate = find(update, (node) => node['Node Type'] === 'Aggregate' && node.Strategy === 'Sorted');
  measures.planning.push(explained['Planning Time']);
  measures.execution.push(explained['Execution Time']);
  measures.aggregate.push(aggregate?.['Actual Total Time'] ?? 0);
  // The UPDATE node's own time: the row, its TOAST, the generated columns and every index entry.
  measures.write.push(update['Actual Total Time'] - (update.Plans?.[0]?.['Actual Total Time'] ?? 0));
  measures.trigger.push((explained.Triggers ?? []).reduce((sum, trigger) => sum + trigger.Time, 0));
  measures.walKb.push((update['WAL Bytes'] ?? 0) / 1024);
  measures.bikes.push(aggregate?.Plans?.[0]?.['Actual Rows'] ?? 0);
}

function find(node: PlanNode, matches: (node: PlanNode) => boolean): PlanNode | undefined {
  if (matches(node)) return node;
  for (const child of node.Plans ?? []) {
    const found = find(child, matches);
    if (found) return found;
  }
  return undefined;
}

function summarise(measures: Samples): Record<string, { calls: number } & ReturnType<typeof percentiles>> {
  return Object.fromEntries(Object.entries(measures).map(([measure, values]) => [measure, { calls: values.length, ...percentiles(values) }]));
}

const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

await main();
