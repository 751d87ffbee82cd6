import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { searchDocumentsProjection } from '@mpp/projections';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { upsertSearchDocuments } from '../postgres/search-document-rows.js';
import { searchTables } from '../postgres/search-tables.js';
import { FIXTURE_DOCUMENTS } from '../testing/fixture-catalog.js';
import { createMeilisearchCatalogSearch } from './meilisearch-catalog-search.js';
import { SEARCH_DOCUMENTS_PROJECTION, SearchIndexer, type IndexerLogger } from './search-indexer.js';
import { startMeilisearchWireRecorder, type MeilisearchWireRecorder } from './testing/meilisearch-wire-recorder.js';

// The indexer's lifecycle against real PostgreSQL and a recording Meilisearch double: what it asks
// Meilisearch, in which order, and what it does with refusals. Not Meilisearch's semantics.

let db: TestDatabase;
let wire: MeilisearchWireRecorder;
let indexer: SearchIndexer | undefined;
const logged: { level: 'log' | 'warn' | 'error'; message: string }[] = [];
const logger: IndexerLogger = {
  log: (message) => logged.push({ level: 'log', message }),
  warn: (message) => logged.push({ level: 'warn', message }),
  error: (message) => logged.push({ level: 'error', message }),
};

/** Bounded wait for something the indexer's background loop does; fails the test after 10 s. */
async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 10) {
    if (await condition()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** search_documents as an active generation of the projection has it, holding the fixture catalog. */
async function projectedDocuments(): Promise<void> {
  const schema = `search_${randomBytes(4).toString('hex')}`;
  await db.knex.raw(`CREATE SCHEMA "${schema}"`);
  await searchDocumentsProjection.createTables(db.knex, schema);
  await db.knex.raw(`CREATE VIEW public.search_documents AS SELECT * FROM "${schema}".search_documents`);
  await db.knex('projection_checkpoints').insert({ projection: SEARCH_DOCUMENTS_PROJECTION, generation: 1, version: 1, schema_name: schema, state: 'active' });
  await upsertSearchDocuments(db.knex, searchTables(schema), FIXTURE_DOCUMENTS);
}

function startIndexer(): SearchIndexer {
  indexer = new SearchIndexer({
    knex: db.knex,
    search: createMeilisearchCatalogSearch({ url: wire.url, taskPollMs: 1 }),
    batchSize: 4,
    idleMs: 5,
    maxBackoffMs: 20,
    logger,
  });
  indexer.start();
  return indexer;
}

const calls = () => wire.operations().map((r) => `${r.method} ${r.path}`);
const checkpoint = () => db.knex('search_index_checkpoints').where({ index_uid: 'parts' }).first('generation', 'position');

beforeEach(async () => {
  logged.length = 0;
  db = await createTestDatabase();
  wire = await startMeilisearchWireRecorder();
  await projectedDocuments();
});
afterEach(async () => {
  await indexer?.stop();
  indexer = undefined;
  await wire.close();
  await db.drop();
});

describe('SearchIndexer (recording Meilisearch double, real PostgreSQL)', () => {
  it('applies the settings and waits for their task when it starts, before anything else, even with no reindex due', async () => {
    // A checkpoint of the active generation: no reindex, only the incremental push of newer rows.
    await db.knex('search_index_checkpoints').insert({ index_uid: 'parts', generation: 1, position: 5, documents: 5 });
    startIndexer();
    await until('the documents past the checkpoint are pushed', async () => Number((await checkpoint())?.position) === FIXTURE_DOCUMENTS.length);

    expect(calls().slice(0, 2)).toEqual(['POST /indexes', 'PATCH /indexes/parts/settings']);
    const settings = wire.operations()[1];
    const settingsTask = wire.requests.findIndex((r) => r.method === 'GET' && r.path === '/tasks/1');
    const firstDocuments = wire.requests.findIndex((r) => r.path === '/indexes/parts/documents');
    expect(settingsTask).toBeGreaterThan(wire.requests.indexOf(settings));
    expect(firstDocuments).toBeGreaterThan(settingsTask);
    expect(calls()).not.toContain('POST /swap-indexes');
    const pushed = wire.operations().filter((r) => r.path === '/indexes/parts/documents').flatMap((r) => (r.body as { updatedPosition: number }[]).map((d) => d.updatedPosition));
    expect(pushed.sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 10]);
  });

  it('on a first start, rebuilds the index and swaps it in with the body the pinned server takes', async () => {
    startIndexer();
    await until('the checkpoint is written', async () => (await checkpoint()) !== undefined);
    const swap = wire.operations().find((r) => r.path === '/swap-indexes');
    expect(swap?.body).toEqual([{ indexes: ['parts', expect.stringMatching(/^parts_build_\d+$/)], rename: false }]);
    expect(await checkpoint()).toEqual({ generation: 1, position: FIXTURE_DOCUMENTS.length });
  });

  it('retries a transient failure and keeps its checkpoint until the batch succeeded', async () => {
    await db.knex('search_index_checkpoints').insert({ index_uid: 'parts', generation: 1, position: 5, documents: 5 });
    wire.refuse('POST', /\/documents$/, 503, { message: 'unavailable', code: 'internal', type: 'internal' }, 2);
    startIndexer();
    await until('the documents past the checkpoint are pushed', async () => Number((await checkpoint())?.position) === FIXTURE_DOCUMENTS.length);
    expect(logged.filter((l) => l.level === 'warn')).toHaveLength(2);
    expect(indexer?.failure).toBeUndefined();
  });

  it('stops on a refusal that would repeat forever, records it in integration_errors and reports it', async () => {
    await db.knex('search_index_checkpoints').insert({ index_uid: 'parts', generation: 1, position: 5, documents: 5 });
    wire.failNextTask('documentAdditionOrUpdate', { message: 'Document identifier `a b` is invalid.', code: 'invalid_document_id', type: 'invalid_request' });
    const running = startIndexer();
    await until('the indexer reports its failure', () => running.failure !== undefined);

    expect(running.failure).toMatchObject({ code: 'invalid_document_id', permanent: true });
    expect(wire.operations().filter((r) => r.path === '/indexes/parts/documents')).toHaveLength(1);
    expect(await checkpoint()).toEqual({ generation: 1, position: 5 });
    expect(await db.knex('integration_errors').select('integration', 'operation', 'payload')).toEqual([
      { integration: 'meilisearch', operation: 'index', payload: { indexUid: 'parts' } },
    ]);
    expect(logged.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([expect.stringContaining('invalid_document_id')]);
    // Stopped, not sleeping between retries: nothing more reaches Meilisearch.
    const requestsWhenStopped = wire.requests.length;
    await running.stop();
    expect(wire.requests.length).toBe(requestsWhenStopped);
  });

  it('stops when the settings are refused at start, without pushing a document', async () => {
    wire.refuse('PATCH', /\/settings$/, 400, { message: 'Invalid value', code: 'invalid_settings_typo_tolerance', type: 'invalid_request' });
    const running = startIndexer();
    await until('the indexer reports its failure', () => running.failure !== undefined);
    expect(running.failure).toMatchObject({ status: 400, code: 'invalid_settings_typo_tolerance' });
    expect(calls().filter((c) => c.endsWith('/documents'))).toEqual([]);
  });
});
