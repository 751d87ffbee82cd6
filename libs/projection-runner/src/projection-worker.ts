import type { Knex } from 'knex';
import type { EventStore, RecordedEvent } from '@mpp/event-store';
import { applyBatch } from './apply-batch.js';
import { eventBatches } from './event-batches.js';
import type { ProjectionDefinition } from './projection.js';
import { RateMeter } from './rate-meter.js';
import type { LogItem, SharedLogReader } from './shared-log-reader.js';

export const DEFAULT_BATCH_SIZE = 1_000;

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
  /** Stop once nothing is left to read (rebuild, replay) instead of following the live tail. */
  stopWhenCaughtUp?: boolean;
  until?: Until;
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
  const target = { projection, generation, schema };
  const meter = new RateMeter();
  // Ends the subscription when the caller aborts or when this worker returns early. Derived rather
  // than forwarded by an 'abort' listener: a signal that aborted before this call fires no event.
  const subscription = new AbortController();
  const stop = () => subscription.abort();
  let position = options.fromPosition;
  let eventsApplied = 0;
  let parked = 0;
  const report = (caughtUp: boolean) =>
    options.onProgress?.({ position, eventsApplied, parked, eventsPerSecond: meter.perSecond(), caughtUp });
  try {
    const until = AbortSignal.any([signal, subscription.signal]);
    const items: AsyncIterable<LogItem> = options.reader
      ? options.reader.consume(position, until)
      : eventBatches(store.subscribeToAll({ fromPosition: position > 0n ? position : undefined, signal: until }), options.batchSize ?? DEFAULT_BATCH_SIZE, stop);
    for await (const item of items) {
      if (item === 'idle') {
        if (position >= (await store.headPosition())) {
          await report(true);
          if (options.stopWhenCaughtUp) return 'caught_up';
        }
        continue;
      }
      const cut = options.until ? cutAt(item, options.until) : item;
      const kept = options.until?.occurredAt ? happenedBy(cut, options.until.occurredAt) : cut;
      const result = await applyBatch(knex, target, kept, position, meter.perSecond());
      position = cut.length > 0 ? cut[cut.length - 1].position : position;
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

function cutAt(batch: RecordedEvent[], until: Until): RecordedEvent[] {
  const beyond = batch.findIndex(
    (event) => (until.position !== undefined && event.position > until.position) || (until.recordedAt !== undefined && event.createdAt > until.recordedAt),
  );
  return beyond === -1 ? batch : batch.slice(0, beyond);
}

function happenedBy(batch: RecordedEvent[], instant: Date): RecordedEvent[] {
  return batch.filter((event) => Date.parse(event.metadata.occurredAt) <= instant.getTime());
}
