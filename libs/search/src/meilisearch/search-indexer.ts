import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { SearchDocument } from '../catalog-search.port.js';
import { SearchUnavailable } from '../search-errors.js';
import { DOCUMENT_COLUMNS, documentFromRow, type SearchDocumentRow } from '../postgres/search-document-rows.js';
import type { MeilisearchCatalogSearch } from './meilisearch-catalog-search.js';

/** The projection whose table the indexer copies (projections/src/search-documents.projection.ts). */
export const SEARCH_DOCUMENTS_PROJECTION = 'search-documents';

export interface IndexerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SearchIndexerOptions {
  knex: Knex;
  search: MeilisearchCatalogSearch;
  batchSize?: number;
  /** Pause when there was nothing to push. */
  idleMs?: number;
  /** Longest pause after repeated failures. */
  maxBackoffMs?: number;
  logger?: IndexerLogger;
}

export interface IndexerStep {
  /** Documents pushed by this step. */
  indexed: number;
  reindexed: boolean;
  /** The documents position Meilisearch now holds (the indexer's checkpoint). */
  position: number;
}

interface CheckpointRow {
  generation: number;
  position: number;
}

/**
 * Keeps Meilisearch in step with `search_documents`: pushes the rows whose `updated_position` passed
 * the indexer's checkpoint, in batches, and moves the checkpoint only after Meilisearch reported the
 * batch's task succeeded. A crash or a rejected batch means the same rows are pushed again (upserts
 * by part id are idempotent), never that a change is skipped. When the projection's active
 * generation changes (a rebuild or a new version), the index is rebuilt beside the live one and
 * swapped in.
 *
 * Positions are safe as a cursor because the projection commits its batches one after another, in
 * log order: once a row with position p is visible, no row with a smaller position can appear later.
 * Run one indexer per index (the projector is a single process).
 */
export class SearchIndexer {
  private readonly knex: Knex;
  private readonly search: MeilisearchCatalogSearch;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: IndexerLogger | undefined;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private stoppedBy: SearchUnavailable | undefined;

  constructor(options: SearchIndexerOptions) {
    this.knex = options.knex;
    this.search = options.search;
    this.batchSize = options.batchSize ?? 1_000;
    this.idleMs = options.idleMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.logger = options.logger;
  }

  /**
   * Runs in the background until stop(), or until Meilisearch refuses a request for good (see
   * `failure`). Its first step applies the index settings and waits for them, so a synonym or rule
   * changed in code reaches a running index without a reindex.
   */
  start(): void {
    if (this.loop) return;
    this.stoppedBy = undefined;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  /**
   * The permanent error that stopped the loop (a request Meilisearch will refuse again: invalid
   * settings, a document it rejects, a bad key), also logged and written to integration_errors.
   * Retrying it would resend the same request forever; it needs a person, then a restart.
   */
  get failure(): SearchUnavailable | undefined {
    return this.stoppedBy;
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** One step: a full reindex when the generation changed, else the next batch of changed documents. */
  async step(): Promise<IndexerStep> {
    const generation = await this.activeGeneration();
    if (generation === undefined) return { indexed: 0, reindexed: false, position: 0 };
    const checkpoint = await this.checkpoint();
    if (!checkpoint || checkpoint.generation !== generation) return this.reindex(generation);

    const rows: SearchDocumentRow[] = await this.knex('search_documents')
      .where('updated_position', '>', checkpoint.position)
      // Whole positions only: one event (a bike registered late) can touch several documents.
      .andWhere(
        'updated_position',
        '<=',
        this.knex
          .max('updated_position')
          .from(this.knex('search_documents').where('updated_position', '>', checkpoint.position).orderBy('updated_position').limit(this.batchSize).select('updated_position').as('next')),
      )
      .orderBy(['updated_position', 'part_id'])
      .select(DOCUMENT_COLUMNS);
    if (rows.length === 0) return { indexed: 0, reindexed: false, position: checkpoint.position };
    await this.search.upsert(rows.map(documentFromRow));
    const position = Number(rows[rows.length - 1].updated_position);
    await this.saveCheckpoint(generation, position, rows.length, false);
    return { indexed: rows.length, reindexed: false, position };
  }

  private async run(signal: AbortSignal): Promise<void> {
    let prepared = false;
    let failures = 0;
    while (!signal.aborted) {
      let pause = this.idleMs;
      try {
        if (!prepared) {
          await this.search.prepare();
          prepared = true;
        }
        const { indexed, reindexed } = await this.step();
        if (reindexed) this.logger?.log(`search index ${this.search.indexUid} rebuilt and swapped in (${indexed} documents)`);
        failures = 0;
        if (indexed > 0) continue;
      } catch (error) {
        if (error instanceof SearchUnavailable && error.permanent) {
          await this.stopFor(error);
          return;
        }
        failures += 1;
        pause = Math.min(this.maxBackoffMs, this.idleMs * 2 ** failures) * (0.5 + Math.random() / 2);
        this.logger?.warn(`search indexer failed (attempt ${failures}, retrying in ${Math.round(pause)} ms; checkpoint kept): ${(error as Error).message}`);
      }
      await sleep(pause, undefined, { signal }).catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') throw error;
      });
    }
  }

  private async stopFor(error: SearchUnavailable): Promise<void> {
    this.stoppedBy = error;
    this.logger?.error(`search indexer stopped: Meilisearch refused a request it will refuse again (checkpoint kept; fix it and restart the projector): ${error.message}`);
    await this.knex('integration_errors')
      .insert({ integration: 'meilisearch', operation: 'index', payload: { indexUid: this.search.indexUid }, error: error.message })
      .catch((recordError: unknown) => this.logger?.error(`search indexer could not record its failure: ${(recordError as Error).message}`));
  }

  private async reindex(generation: number): Promise<IndexerStep> {
    // Rows changed while the copy runs have a higher position and are pushed by the next steps.
    const { max } = (await this.knex('search_documents').max<{ max: number | null }>('updated_position as max').first()) ?? { max: null };
    const position = Number(max ?? 0);
    const { documents } = await this.search.reindex(this.allDocuments());
    await this.saveCheckpoint(generation, position, documents, true);
    return { indexed: documents, reindexed: true, position };
  }

  private async *allDocuments(): AsyncGenerator<SearchDocument[]> {
    let after: string | undefined;
    while (true) {
      const query = this.knex('search_documents').orderBy('part_id').limit(this.batchSize).select(DOCUMENT_COLUMNS);
      if (after !== undefined) query.where('part_id', '>', after);
      const rows: SearchDocumentRow[] = await query;
      if (rows.length === 0) return;
      yield rows.map(documentFromRow);
      after = rows[rows.length - 1].part_id;
    }
  }

  private async activeGeneration(): Promise<number | undefined> {
    const row = await this.knex('projection_checkpoints').where({ projection: SEARCH_DOCUMENTS_PROJECTION, state: 'active' }).first('generation');
    return row?.generation;
  }

  private async checkpoint(): Promise<CheckpointRow | undefined> {
    const row = await this.knex('search_index_checkpoints').where({ index_uid: this.search.indexUid }).first('generation', 'position');
    return row && { generation: row.generation, position: Number(row.position) };
  }

  private async saveCheckpoint(generation: number, position: number, documents: number, replace: boolean): Promise<void> {
    await this.knex('search_index_checkpoints')
      .insert({ index_uid: this.search.indexUid, generation, position, documents, updated_at: this.knex.fn.now() })
      .onConflict('index_uid')
      .merge({
        generation,
        position,
        documents: replace ? documents : this.knex.raw('search_index_checkpoints.documents + ?', [documents]),
        updated_at: this.knex.fn.now(),
      });
  }
}
