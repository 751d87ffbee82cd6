import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { advanceCheckpoint, advanceCheckpointAlone, settleBulk, type BatchProgress } from './checkpoints.js';
import { isConnectionLost } from './connection-lost.js';
import { parkEvent } from './dead-letters.js';
import { holdLeaseForBatch } from './leases/lease-fence.js';
import { batchHandlerOf, bulkFormOf, eventTypesOf, type BatchHandler, type ProjectionContext, type ProjectionDefinition } from './projection.js';
import { qualify } from './projection-schema.js';
import { RetryLater } from './retry-later.js';
import { progressNotice } from './notify-progress.js';

export interface BatchTarget {
  projection: ProjectionDefinition;
  generation: number;
  schema: string;
  /** Under leases, the holder this process runs as: each batch first checks it still holds the lease. */
  leaseHolder?: string;
  /** The generation serves readers (it is the active one): bulk batches keep its indexes. */
  serving?: boolean;
}

/** A handler failed under the `stop` policy; the batch was rolled back and the checkpoint did not move. */
export class ProjectionHandlerFailed extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    options: { cause: unknown },
  ) {
    super(`projection ${projection} failed on ${event.type} at position ${event.position}: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
    this.name = 'ProjectionHandlerFailed';
  }
}

/** The projection's code threw somewhere in a batch (as opposed to the checkpoint or the connection around it). */
class BatchHandlerFailed extends Error {
  constructor(options: { cause: unknown }) {
    super('batch handler failed', options);
  }
}

/** What a handler gets: the transaction and its tables in the schema being built. */
export function contextFor(trx: Knex.Transaction, schema: string, generation: number): ProjectionContext {
  return {
    trx,
    generation,
    table: (name) => trx.withSchema(schema).table(name),
    qualified: (name) => qualify(schema, name),
  };
}

/**
 * `live`: the projection's own `applyBatch`. `bulk`: its bulk form's, leaving the `finish` owed.
 * `bulk-finish`: the bulk form's, then the `finish`, so the batch commits with nothing owed.
 */
export type BatchMode = 'live' | 'bulk' | 'bulk-finish';

/**
 * Applies a batch and moves the checkpoint in one transaction, so a crash at any point leaves
 * either the whole batch with its checkpoint or neither. When the projection's code fails, the
 * batch is rolled back and applied again one event at a time inside savepoints, which names the
 * poison event: under `stop` the projection halts on it (nothing of the batch is kept), under
 * `park` only that event is set aside. The common case pays no savepoint cost.
 */
export async function applyBatch(
  knex: Knex,
  target: BatchTarget,
  events: readonly RecordedEvent[],
  from: bigint,
  eventsPerSecond: number,
  mode: BatchMode = 'live',
): Promise<{ parked: number }> {
  if (events.length === 0) return { parked: 0 };
  const last = events[events.length - 1];
  const progress: BatchProgress = { from, position: last.position, processed: events.length, lastEventAt: last.createdAt, eventsPerSecond, bulkPending: mode === 'bulk' };
  const types = eventTypesOf(target.projection);
  const relevant = events.filter((event) => types.has(event.type));
  if (relevant.length === 0 && mode === 'live') {
    const notice = JSON.stringify({ projection: target.projection.name, generation: target.generation, position: progress.position.toString(), changed: false });
    await advanceCheckpointAlone(knex, { projection: target.projection.name, generation: target.generation, leaseHolder: target.leaseHolder }, progress, notice);
    return { parked: 0 };
  }
  const apply = handlerFor(target.projection, mode);
  try {
    await knex.transaction(async (trx) => {
      await fence(trx, target);
      await applyBulkSettings(trx, mode);
      await dropReaderIndexesIfDue(trx, target, mode);
      if (relevant.length > 0) await apply(relevant, contextFor(trx, target.schema, target.generation)).catch((cause: unknown) => Promise.reject(new BatchHandlerFailed({ cause })));
      await finishIfDue(trx, target, mode).catch((cause: unknown) => Promise.reject(new BatchHandlerFailed({ cause })));
      await advanceCheckpoint(trx, target.projection.name, target.generation, progress, commitNotice(trx, target, progress, relevant.length > 0, mode));
    });
    return { parked: 0 };
  } catch (error) {
    if (!(error instanceof BatchHandlerFailed)) throw error;
    // A handler's statement died with its connection, or the handler cannot do the batch yet: the
    // caller retries the batch; no event is to blame.
    if (isConnectionLost(error.cause) || error.cause instanceof RetryLater) throw error.cause;
  }
  return applyIsolatingPoison(knex, target, relevant, progress, mode);
}

/**
 * Runs the owed `finish` of a bulk catch-up on its own, when the catch-up ended between batches
 * (nothing more to read, or an "until" reached): the checkpoint stays, the owed flag clears.
 */
export async function finishBulk(knex: Knex, target: BatchTarget, position: bigint): Promise<void> {
  await knex.transaction(async (trx) => {
    await fence(trx, target);
    await applyBulkSettings(trx, 'bulk-finish');
    await finishIfDue(trx, target, 'bulk-finish');
    await settleBulk(trx, target.projection.name, target.generation, position);
    await trx.raw('SELECT ?', [commitNotice(trx, target, { position })]);
  });
}

function handlerFor(projection: ProjectionDefinition, mode: BatchMode): BatchHandler {
  if (mode === 'live') return batchHandlerOf(projection);
  const bulk = bulkFormOf(projection);
  if (!bulk) throw new Error(`projection ${projection.name} has no bulk form`);
  return bulk.applyBatch;
}

async function fence(trx: Knex.Transaction, target: BatchTarget): Promise<void> {
  if (target.leaseHolder) await holdLeaseForBatch(trx, target.projection.name, target.leaseHolder);
}

/**
 * The settings of a bulk batch's transaction (none for a live one). Its statements are planned for
 * this execution, not taken from the connection's cached generic plan. The generic plan was made
 * when the generation's tables held a few rows and guesses
 * ten elements for every array parameter: a rebuild then ran a sequential scan per key of a table
 * that had grown to half a million rows. Planning a statement costs well under a millisecond; a
 * bulk batch runs a few dozen of them over ten thousand events. Live batches keep the cached plans.
 * And a bulk batch reads pages it or its neighbours just wrote, in shared buffers: priced as disk
 * reads (4, the default), two thousand key lookups lost to hashing a 500,000-row table.
 */
async function applyBulkSettings(trx: Knex.Transaction, mode: BatchMode): Promise<void> {
  if (mode === 'live') return;
  // A finish sorts and hashes whole tables (every document's bikes, every part's fitment): with
  // the default 4 MB they spill to disk in batches. One finish runs per projection, at the end.
  const finishing = mode === 'bulk-finish' ? `; SET LOCAL work_mem = '${FINISH_WORK_MEM}'` : '';
  await trx.raw(`SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL random_page_cost = 1.1${finishing}`);
}

const FINISH_WORK_MEM = '64MB';

/** In the batch's own transaction, so the owed finish that creates them again commits with the drop. */
async function dropReaderIndexesIfDue(trx: Knex.Transaction, target: BatchTarget, mode: BatchMode): Promise<void> {
  if (mode === 'bulk' && target.serving === false) await bulkFormOf(target.projection)?.dropReaderIndexes?.(contextFor(trx, target.schema, target.generation));
}

async function finishIfDue(trx: Knex.Transaction, target: BatchTarget, mode: BatchMode): Promise<void> {
  if (mode === 'bulk-finish') await bulkFormOf(target.projection)?.finish?.(contextFor(trx, target.schema, target.generation));
}

async function applyIsolatingPoison(
  knex: Knex,
  target: BatchTarget,
  events: readonly RecordedEvent[],
  progress: BatchProgress,
  mode: BatchMode,
): Promise<{ parked: number }> {
  const apply = handlerFor(target.projection, mode);
  let parked = 0;
  await knex.transaction(async (trx) => {
    await fence(trx, target);
    await dropReaderIndexesIfDue(trx, target, mode);
    for (const event of events) {
      try {
        await trx.transaction((savepoint) => apply([event], contextFor(savepoint, target.schema, target.generation)));
      } catch (error) {
        if (isConnectionLost(error) || error instanceof RetryLater) throw error;
        if (target.projection.onPoisonEvent === 'stop') throw new ProjectionHandlerFailed(target.projection.name, event, { cause: error });
        await parkEvent(trx, target.projection.name, target.generation, event, error);
        parked += 1;
      }
    }
    await finishIfDue(trx, target, mode);
    await advanceCheckpoint(trx, target.projection.name, target.generation, progress, commitNotice(trx, target, progress, true, mode));
  });
  return { parked };
}

/**
 * Sent with the batch's checkpoint, in its last statement: its commit notice, and its commit made
 * asynchronous. A batch commit then waits for no WAL flush, and neither does the notify queue's
 * cluster-wide lock, which a notifying transaction holds until its commit is flushed: with a flush
 * per commit, the projections' batches of one append queued behind one another's fsync before any
 * was visible. Safe because rows and checkpoint commit together and WAL is replayed in order: a
 * database crash can only lose the newest batches whole, and the projector applies them again from
 * the log (a reader may have seen them before the crash and sees them again once re-applied).
 *
 * No notice while a bulk finish is owed: the derived rows lag the checkpoint then, and a reader told
 * of the position would read them as of it. The batch that settles the finish announces.
 */
function commitNotice(
  trx: Knex.Transaction,
  target: BatchTarget,
  progress: Pick<BatchProgress, 'position'> & { bulkPending?: boolean; from?: bigint },
  changed = true,
  mode: BatchMode = 'live',
): Knex.Raw {
  if (progress.bulkPending) return trx.raw(`set_config('synchronous_commit', 'off', true)`);
  const notice = { projection: target.projection.name, generation: target.generation, position: progress.position.toString(), changed };
  // A live batch that changed something names the keys it moved: readers evict them without reading
  // them back. A bulk batch does not (the batches before it sent no notice, so its keys are not all).
  const { keyVersions } = target.projection;
  if (changed && mode === 'live' && keyVersions !== undefined && progress.from !== undefined) {
    return progressNotice(trx, { ...notice, from: progress.from.toString() }, { asynchronousCommit: true, keysFrom: qualify(target.schema, keyVersions) });
  }
  return progressNotice(trx, notice, { asynchronousCommit: true });
}
