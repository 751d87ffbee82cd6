import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { listGenerations, requestRebuild } from '@mpp/projection-runner';
import { startMeilisearchWireRecorder, type MeilisearchWireRecorder } from '@mpp/search/testing';
import { searchDocumentsProjection } from '../search-documents/search-documents.projection.js';
import { partCataloged, partDetailsRevised } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';
import { meilisearchIndexTarget, searchIndexer, SEARCH_INDEX } from './search-index.indexer.js';

// The search indexer on the projection runner, with real PostgreSQL (the runner works as the
// projector's role) and a recording Meilisearch double: what it asks Meilisearch, in which order,
// and what the runner does with the answers. Not Meilisearch's semantics (the contract suite).

let wire: MeilisearchWireRecorder;
let harness: ProjectionHarness | undefined;

/** Bounded wait for something the runner does in the background; fails the test after 10 s. */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

const indexer = () => searchIndexer(meilisearchIndexTarget({ url: wire.url, taskPollMs: 1 }));
const generations = () => listGenerations(harness!.knex, SEARCH_INDEX);
const activeGeneration = async () => (await generations()).find((g) => g.state === 'active');
const documentRequests = (uid = 'parts') => wire.operations().filter((r) => r.method === 'POST' && r.path === `/indexes/${uid}/documents`);
const pushedIds = (uid = 'parts') => documentRequests(uid).flatMap((r) => (r.body as { id: string }[]).map((d) => d.id)).sort();
const calls = () => wire.operations().map((r) => `${r.method} ${r.path}`);

beforeEach(async () => {
  wire = await startMeilisearchWireRecorder();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await wire.close();
});

describe('search indexer on the projection runner (recording Meilisearch double, real PostgreSQL)', () => {
  it('waits while search-documents is behind, without parking anything, then pushes each changed document by id', async () => {
    harness = await startProjectionHarness([indexer()]);
    const parts = [partCataloged(), partCataloged(), partCataloged()];
    const position = await harness.append(...parts);

    await until('the indexer reports what it waits for', async () => (await activeGeneration())?.error?.startsWith('waiting: search-documents') ?? false);
    expect(documentRequests()).toEqual([]);
    expect((await activeGeneration())?.position).toBe(0n);

    await harness.startRunner([searchDocumentsProjection]);
    await until('the indexer reaches the head', async () => ((await activeGeneration())?.position ?? 0n) >= position);

    expect(pushedIds()).toEqual(parts.map((p) => p.data.partId).sort());
    expect(documentRequests().map((r) => r.query)).toEqual(documentRequests().map(() => ({ primaryKey: 'id' })));
    // Settings first and waited for, then documents; never a swap for a generation that served from the start.
    expect(calls().slice(0, 3)).toEqual(['GET /indexes/parts_g1', 'POST /indexes', 'PATCH /indexes/parts/settings']);
    expect(calls()).not.toContain('POST /swap-indexes');
    expect((await activeGeneration())?.error).toBeNull();
    expect(await harness.deadLetters()).toEqual([]);
  });

  it('keeps its checkpoint while Meilisearch is unavailable and pushes the same batch again, parking nothing', async () => {
    harness = await startProjectionHarness([searchDocumentsProjection, indexer()]);
    wire.refuse('POST', /\/documents$/, 503, { message: 'unavailable', code: 'internal', type: 'internal' }, 2);
    const part = partCataloged();
    await harness.given(part);

    expect(documentRequests()).toHaveLength(3);
    expect(pushedIds()).toEqual([part.data.partId, part.data.partId, part.data.partId]);
    expect(await harness.deadLetters()).toEqual([]);
  });

  it('parks the event whose document Meilisearch refuses for good, and goes on with the next', async () => {
    harness = await startProjectionHarness([searchDocumentsProjection, indexer()]);
    // Refused as a batch and again when the runner applies the batch's events one by one.
    wire.refuse('POST', /\/documents$/, 400, { message: 'Document identifier `a b` is invalid.', code: 'invalid_document_id', type: 'invalid_request' }, 2);
    const refused = partCataloged();
    await harness.given(refused);
    const next = partCataloged();
    await harness.given(next);

    expect(await harness.deadLetters()).toEqual([expect.objectContaining({ projection: SEARCH_INDEX, event_type: 'PartCataloged', stream_id: refused.stream })]);
    expect(pushedIds().filter((id) => id === next.data.partId)).toEqual([next.data.partId]);
  });

  it('waits, parking nothing, while Meilisearch refuses the index settings (no event is to blame), and goes on once they are taken', async () => {
    harness = await startProjectionHarness([searchDocumentsProjection, indexer()]);
    wire.refuse('PATCH', /\/settings$/, 400, { message: 'Invalid value', code: 'invalid_settings_typo_tolerance', type: 'invalid_request' }, 4);
    const part = partCataloged();
    await harness.append(part);

    await until('the indexer reports the refusal', async () => (await activeGeneration())?.error?.includes('refused the index settings') ?? false);
    expect(await harness.deadLetters()).toEqual([]);
    await until('the settings are taken and the document pushed', async () => pushedIds().includes(part.data.partId));
    expect(calls().filter((c) => c === 'PATCH /indexes/parts/settings')).toHaveLength(5);
    expect(await harness.deadLetters()).toEqual([]);
  });

  it('rebuilds into an index of its own and swaps it in when the new generation serves, then writes the live index', async () => {
    const consumer = indexer();
    harness = await startProjectionHarness([searchDocumentsProjection, consumer]);
    const part = partCataloged();
    await harness.given(part, partCataloged());

    await requestRebuild(harness.knex, consumer);
    await until('the rebuilt generation serves', async () => (await activeGeneration())?.generation === 2);
    await until('the swap is done', async () => calls().includes('DELETE /indexes/parts_g2'));

    // The replay from position 0 pushes every document once, into the build index.
    expect(pushedIds('parts_g2')).toEqual(pushedIds('parts'));
    const swap = wire.operations().find((r) => r.path === '/swap-indexes');
    expect(swap?.body).toEqual([{ indexes: ['parts', 'parts_g2'], rename: false }]);
    expect(calls().indexOf('DELETE /indexes/parts_g2')).toBeGreaterThan(calls().indexOf('POST /swap-indexes'));

    const live = documentRequests().length;
    await harness.given(partDetailsRevised(part.data.partId, { description: 'Titanium' }));
    expect(documentRequests()).toHaveLength(live + 1);
  });
});
