import type { Knex } from 'knex';
import type { EventStore, RecordedEvent } from '@mpp/event-store';
import { applyBatch, finishBulk, type BatchMode } from './apply-batch.js';
import { abortableDelay } from '@mpp/event-store';
import { findGeneration, isBulkPending, recordGenerationError } from './checkpoints.js';
import { eventBatches } from './event-batches.js';
import { bulkFormOf, type ProjectionDefinition } from './projection.js';
import { RateMeter } from './rate-meter.js';
import { RetryLater, retryLaterDelay } from './retry-later.js';
import type { LogItem, SharedLogReader } from './shared-log-reader.js';

export const DEFAULT_BATCH_SIZE = 1_000;
/** Ten catch-up pages: closer to the head than this, the one pass of a bulk `finish` costs more than it saves. */
export const DEFAULT_BULK_FROM_LAG = 10 * DEFAULT_BATCH_SIZE;
/** A bulk batch merges up to this many pages into one write: fewer statements and commits per event. */
export const BULK_PAGES_PER_BATCH = 10;
/**
 * ...but takes at most this share of what is left to the head, so a catch-up ends in a few smaller
 * steps (a crash near the end redoes less; a short catch-up still has batches to cut). It was 1/20:
 * the last 200,000 events of a rebuild of a million then went in sixty shrinking batches, ten
 * seconds of the rebuild (docs/performance.md, "Session 17").
 */
const BULK_BATCH_SHARE_OF_LAG = 4n;

/**
 * The "as of" of a replay (DESIGN §10 "Two clocks"); the limits given all apply.
 * - `position`: stop after this global position.
 * - `recordedAt`: stop before the first event the store committed after this instant.
 * - `occurredAt`: leave out the events that happened (metadata.occurredAt) after this instant; log
 *   order says nothing about when things happened, so the replay still reads to the head.
 */
export interface Until {
  position?: bigint;
  recordedAt?: Date;
  occurredAt?: Date;
}

export interface WorkerOptions {
  knex: Knex;
  store: EventStore;
  projection: ProjectionDefinition;
  generation: number;
  schema: string;
  /** Exclusive start: the generation's checkpoint. */
  fromPosition: bigint;
  /** Under leases, the holder this process runs as: a batch commits only while it holds the lease. */
  leaseHolder?: string;
  /**
   * Most events per transaction (default 1,000, the PostgreSQL store's page): set-based projections
   * fold a whole batch at once, so catching up gets faster with bigger batches; the live tail gives
   * small ones anyway.
   */
  batchSize?: number;
  /**
   * The runner's shared reading of the log (shared-log-reader.ts); without it the worker subscribes
   * on its own (replays, tests). Its batch size then bounds the batches instead of `batchSize`.
   */
  reader?: SharedLogReader;
  /**
   * A projection with a bulk form catches up in bulk mode when, at the start, the head is at least
   * this many events ahead and further ahead than the generation has come (so a live generation
   * back from a short outage stays incremental: the `finish` costs in proportion to what is built).
   * Default 10 pages; `Infinity` never, 0 whenever anything is left to read.
   */
  bulkFromLag?: number;
  /** Pages per batch in bulk mode (default BULK_PAGES_PER_BATCH): a test that wants several bulk batches of a short log asks for one. */
  bulkPagesPerBatch?: number;
  /** Stop once nothing is left to read (rebuild, replay) instead of following the live tail. */
  stopWhenCaughtUp?: boolean;
  until?: Until;
  /** Called once the worker has its place in the reading of the log (from then on it gets every event after its start). */
  onReading?: () => void;
  /** Called after each committed batch and whenever the worker has caught up with the log. */
  onProgress?: (progress: WorkerProgress) => void | Promise<void>;
  signal: AbortSignal;
}

export interface WorkerProgress {
  position: bigint;
  eventsApplied: number;
  parked: number;
  eventsPerSecond: number;
  caughtUp: boolean;
}

export type WorkerOutcome = 'caught_up' | 'until_reached' | 'aborted';

/**
 * Follows the global log for one generation of one projection: the same consumer serves live
 * updates, rebuilds (stop when caught up) and "as of" replays (stop at a position or time).
 */
export async function runProjectionWorker(options: WorkerOptions): Promise<WorkerOutcome> {
  const { knex, store, projection, generation, schema, signal } = options;
  // Only a generation that serves no reader yet may load without its readers' indexes (BulkForm.dropReaderIndexes).
  const state = bulkFormOf(projection)?.dropReaderIndexes ? (await findGeneration(knex, projection.name, generation))?.state : undefined;
  const serving = state !== 'building' && state !== 'replay';
  const target = { projection, generation, schema, leaseHolder: options.leaseHolder, serving };
  const meter = new RateMeter();
  // Ends the subscription when the caller aborts or when this worker returns early. Derived rather
  // than forwarded by an 'abort' listener: a signal that aborted before this call fires no event.
  const subscription = new AbortController();
  const stop = () => subscription.abort();
  let position = options.fromPosition;
  let eventsApplied = 0;
  let parked = 0;
  let caughtUpOnce = false;
  const report = (caughtUp: boolean) =>
    options.onProgress?.({ position, eventsApplied, parked, eventsPerSecond: meter.perSecond(), caughtUp });
  // Bulk mode from the start until the head is reached: decided once, or resumed from the checkpoint.
  const bulkForm = bulkFormOf(projection);
  let head = bulkForm ? await store.headPosition() : 0n;
  let bulk = bulkForm !== undefined && ((await isBulkPending(knex, projection.name, generation)) || farBehind(position, head, options));
  const settle = async () => {
    if (!bulk) return;
    await finishBulk(knex, target, position);
    bulk = false;
  };
  try {
    const until = AbortSignal.any([signal, subscription.signal]);
    const pageSize = options.reader?.batchSize ?? options.batchSize ?? DEFAULT_BATCH_SIZE;
    const pagesPerBulkBatch = options.bulkPagesPerBatch ?? BULK_PAGES_PER_BATCH;
    const limit = () => (bulk ? bulkBatchSize(pageSize, pagesPerBulkBatch, head - position) : pageSize);
    const items: AsyncIterable<LogItem> = options.reader
      ? options.reader.consume(position, until, limit, () => (bulk ? head : undefined))
      : eventBatches(store.subscribeToAll({ fromPosition: position > 0n ? position : undefined, signal: until }), limit, stop);
    options.onReading?.();
    for await (const item of items) {
      if (item === 'idle') {
        // Live and caught up once already: the head would tell nobody anything (it matters to a bulk
        // finish, a stop, and the first report, which switches a new generation over). At the live
        // tail every worker goes idle after every batch, so this is a query per worker per append.
        if (!bulk && !options.stopWhenCaughtUp && caughtUpOnce) continue;
        if (position >= (await store.headPosition())) {
          await settle();
          await report(true);
          caughtUpOnce = true;
          if (options.stopWhenCaughtUp) return 'caught_up';
        }
        continue;
      }
      const cut = options.until ? cutAt(item, options.until) : item;
      const kept = options.until?.occurredAt ? happenedBy(cut, options.until.occurredAt) : cut;
      const reached = cut.length > 0 ? cut[cut.length - 1].position : position;
      let mode: BatchMode = 'live';
      if (bulk) {
        // The batch that reaches the head settles the finish in its own transaction: no moment
        // shows a checkpoint at the head with derived rows still owed.
        if (reached >= head) head = await store.headPosition();
        mode = reached >= head || cut.length < item.length ? 'bulk-finish' : 'bulk';
      }
      // A batch the "until" emptied writes nothing, but a finish it was to settle is still owed.
      if (kept.length === 0 && mode === 'bulk-finish') await finishBulk(knex, target, position);
      const result = await applyWhenReady(() => applyBatch(knex, target, kept, position, meter.perSecond(), mode), knex, target, signal);
      if (result === 'aborted') return 'aborted';
      if (mode === 'bulk-finish') bulk = false;
      position = reached;
      eventsApplied += kept.length;
      parked += result.parked;
      meter.record(kept.length);
      await report(false);
      if (cut.length < item.length) return 'until_reached';
    }
    return 'aborted';
  } finally {
    subscription.abort();
  }
}

/**
 * Applies the batch, and while its handler answers `RetryLater` waits (bounded backoff, abortable)
 * and tries the same batch again: the reading stays where it is, the checkpoint does not move.
 * The reason is the generation's error while it waits, cleared once the batch went through.
 */
async function applyWhenReady(
  apply: () => Promise<{ parked: number }>,
  knex: Knex,
  target: { projection: ProjectionDefinition; generation: number },
  signal: AbortSignal,
): Promise<{ parked: number } | 'aborted'> {
  let reported: string | undefined;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const result = await apply();
      if (reported !== undefined) await recordGenerationError(knex, target.projection.name, target.generation, null);
      return result;
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error;
      // Written when the reason changes, not on every try.
      if (error.message !== reported) await recordGenerationError(knex, target.projection.name, target.generation, `waiting: ${error.message}`);
      reported = error.message;
      await abortableDelay(retryLaterDelay(attempt), signal);
      if (signal.aborted) return 'aborted';
    }
  }
}

/** Events per batch in bulk mode: `pages` pages, at most a share of the lag, at least a page. */
export function bulkBatchSize(pageSize: number, pages: number, lag: bigint): number {
  const share = Number(lag / BULK_BATCH_SHARE_OF_LAG);
  return Math.max(pageSize, Math.min(pages * pageSize, share));
}

function farBehind(position: bigint, head: bigint, options: WorkerOptions): boolean {
  const lag = head - position;
  const from = options.bulkFromLag ?? DEFAULT_BULK_FROM_LAG;
  return from !== Infinity && lag > 0n && lag > position && lag >= BigInt(from);
}

function cutAt(batch: RecordedEvent[], until: Until): RecordedEvent[] {
  const beyond = batch.findIndex(
    (event) => (until.position !== undefined && event.position > until.position) || (until.recordedAt !== undefined && event.createdAt > until.recordedAt),
  );
  return beyond === -1 ? batch : batch.slice(0, beyond);
}

function happenedBy(batch: RecordedEvent[], instant: Date): RecordedEvent[] {
  return batch.filter((event) => Date.parse(event.metadata.occurredAt) <= instant.getTime());
}
