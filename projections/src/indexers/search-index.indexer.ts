import type { Knex } from 'knex';
import { defineProjection, RetryLater, type ProjectionDefinition } from '@mpp/projection-runner';
import {
  createMeilisearchCatalogSearch,
  DOCUMENT_COLUMNS,
  documentFromRow,
  SearchRequestRejected,
  SearchTaskFailed,
  SearchUnavailable,
  type MeilisearchCatalogSearch,
  type MeilisearchCatalogSearchOptions,
  type SearchDocumentRow,
} from '@mpp/search';
import { searchDocumentsProjection } from '../search-documents/search-documents.projection.js';

export const SEARCH_INDEX = 'search-index';
/** Bump when what the indexer sends changes; a new version of search-documents bumps it too (`version`). */
const INDEXER_VERSION = 1;

/** The Meilisearch indexes the indexer writes: the live one, and a build index per generation. */
export interface SearchIndexTarget {
  live: MeilisearchCatalogSearch;
  /** An adapter on another index of the same server (same settings and limits). */
  index(uid: string): MeilisearchCatalogSearch;
}

/** The live index `options.indexUid` (default `parts`) and its build indexes, on one server. */
export function meilisearchIndexTarget(options: MeilisearchCatalogSearchOptions): SearchIndexTarget {
  return { live: createMeilisearchCatalogSearch(options), index: (indexUid) => createMeilisearchCatalogSearch({ ...options, indexUid }) };
}

/** Where a generation that does not serve yet builds its index; `onServe` swaps it in. */
export const buildIndexUid = (liveUid: string, generation: number) => `${liveUid}_g${generation}`;

/**
 * Copies `search_documents` into Meilisearch, on the projection runner (docs/search.md, "Keeping the index in sync"):
 * with the search-documents projection's event types, a batch of events ending at position p pushes
 * the rows whose `updated_position` lies within the batch, once search-documents serves rows as of
 * p (else `RetryLater`: the runner waits with a bounded backoff and tries the same batch again).
 * Every row is pushed by the batch holding its last change, so a generation replayed from 0 pushes
 * each document once: that is the full reindex, into its own index, swapped in when it serves.
 *
 * At least once: the checkpoint commits only after Meilisearch reported the documents' task
 * succeeded; a crash or retry pushes the same rows again, upserts by part id. A document Meilisearch
 * refuses for good (`permanent`) fails its event, which is parked in the dead letters; an
 * unreachable server is `RetryLater`, not a poison event.
 *
 * Its version follows search-documents' (`version`): a new version of the read model rebuilds the
 * index too, and its batches wait until that version serves.
 */
export function searchIndexer(target: SearchIndexTarget): ProjectionDefinition {
  const prepared = new Set<string>();
  /** Generations whose owed swap this process has checked (a crash between the switch and the swap). */
  const served = new Set<number>();
  const prepareOnce = async (index: MeilisearchCatalogSearch) => {
    // Settings go first and are waited for: a synonym changed in code reaches a running index on restart.
    if (!prepared.has(index.indexUid)) await notTheEvents('the index settings', () => index.prepare());
    prepared.add(index.indexUid);
  };
  const serve = async (generation: number) => {
    await notTheEvents('the index swap', () => target.live.swapIn(buildIndexUid(target.live.indexUid, generation)));
    served.add(generation);
  };
  return defineProjection({
    name: SEARCH_INDEX,
    version: searchDocumentsProjection.version * 100 + INDEXER_VERSION,
    kind: 'indexer',
    tables: [],
    createTables: async () => {},
    onPoisonEvent: 'park',
    eventTypes: searchDocumentsProjection.eventTypes,
    onServe: (generation) => retryable(() => serve(generation)),
    applyBatch: async (events, { trx, generation }) => {
      const from = events[0].position;
      const to = events[events.length - 1].position;
      await waitForSearchDocuments(trx, to);
      const state = await generationState(trx, generation);
      if (state === 'retired' || state === undefined) return;
      const rows: SearchDocumentRow[] = await trx('search_documents')
        .whereBetween('updated_position', [from.toString(), to.toString()])
        .orderBy('part_id')
        .select(DOCUMENT_COLUMNS);
      await retryable(async () => {
        if (state === 'active' && !served.has(generation)) await serve(generation);
        if (rows.length === 0) return;
        const index = state === 'active' ? target.live : target.index(buildIndexUid(target.live.indexUid, generation));
        await prepareOnce(index);
        await index.upsert(rows.map(documentFromRow));
      });
    },
  });
}

/**
 * Meilisearch unreachable or busy, or refusing our key: the batch waits (`RetryLater`). A document
 * it refuses for good fails the batch, and the runner parks the event that carried it.
 */
async function retryable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SearchUnavailable && (!error.permanent || refusesTheKey(error))) throw new RetryLater(`Meilisearch: ${error.message}`, { cause: error });
    throw error;
  }
}

const refusesTheKey = (error: SearchUnavailable) =>
  (error instanceof SearchRequestRejected && (error.status === 401 || error.status === 403)) || (error instanceof SearchTaskFailed && error.type === 'auth');

/**
 * Settings and swaps that Meilisearch refuses are no event's fault: parking events for them would
 * leave holes in the index. The generation waits instead, its status naming the refusal, and goes
 * on by itself once the cause is fixed (a setting in code needs a redeploy; a key, only the fix).
 */
async function notTheEvents<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SearchUnavailable) throw new RetryLater(`Meilisearch refused ${what}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The serving search-documents generation, of this code's version, has committed every batch up to `position` with nothing owed. */
async function waitForSearchDocuments(trx: Knex.Transaction, position: bigint): Promise<void> {
  const source = await trx('projection_checkpoints')
    .where({ projection: searchDocumentsProjection.name, state: 'active' })
    .first<{ version: number; position: string; bulk_pending: boolean } | undefined>('version', 'position', 'bulk_pending');
  if (!source || source.version !== searchDocumentsProjection.version) throw new RetryLater(`${searchDocumentsProjection.name} v${searchDocumentsProjection.version} does not serve yet`);
  if (BigInt(source.position) < position || source.bulk_pending) throw new RetryLater(`${searchDocumentsProjection.name} is behind position ${position}`);
}

async function generationState(trx: Knex.Transaction, generation: number): Promise<string | undefined> {
  const row = await trx('projection_checkpoints').where({ projection: SEARCH_INDEX, generation }).first<{ state: string } | undefined>('state');
  return row?.state;
}
