import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';

/**
 * What a projection handler sees: the event, and the tables of the projection version being built,
 * reached through the batch's transaction so rows and checkpoint commit together.
 */
export interface ProjectionContext {
  readonly trx: Knex.Transaction;
  /** The generation being built or served: an indexer writes each generation to its own external target. */
  readonly generation: number;
  /** A query builder on one of this projection's tables, in the schema of the version being built. */
  table(name: string): Knex.QueryBuilder;
  /** `"schema"."table"` for raw SQL. */
  qualified(name: string): string;
}

export type ProjectionHandler = (event: RecordedEvent, context: ProjectionContext) => Promise<void>;

/**
 * Applies several events (in log order, only of the projection's `eventTypes`) at once, e.g. by
 * loading the rows they touch, folding the events in memory and writing each table once. It must
 * leave exactly the rows that applying the same events one at a time would leave: the runner cuts
 * batches wherever the log and restarts happen to cut them, and isolates a poison event by applying
 * events one by one.
 */
export type BatchHandler = (events: readonly RecordedEvent[], context: ProjectionContext) => Promise<void>;

/** `stop`: a handler error halts the projection (reported as failed). `park`: the event goes to the dead-letter table and the projection goes on. */
export type PoisonEventPolicy = 'stop' | 'park';

/**
 * `read-model` (the default): its state is its tables, so a new generation starts at position 0.
 * `reactor`: its effects (a queued mail) happened once and must not happen again, so a new
 * generation starts where the serving one is, or at the head of the log when none serves
 * (docs/projections.md, "Reactors"). A reactor keeps its effects idempotent by event id all the
 * same: while a new generation catches up, the old one still follows the log.
 * `indexer`: copies a read model into a store outside PostgreSQL (the Meilisearch index). Like a
 * read model a new generation starts at position 0, filling a target of its own; `onServe` makes
 * that target the live one once the generation serves. Its handler may throw `RetryLater` while the
 * read model it copies is behind or the store is unreachable.
 */
export type ConsumerKind = 'read-model' | 'reactor' | 'indexer';

interface ProjectionBase {
  /** Stable identifier, lower-case with hyphens or underscores. */
  name: string;
  /** Bump to rebuild: the new version builds beside the old one and takes over when caught up. */
  version: number;
  /** Tables this projection owns; queries read them by these names (views onto the active version). */
  tables: readonly string[];
  /** Creates the tables (and their indexes) in the given schema. */
  createTables(knex: Knex, schema: string): Promise<void>;
  onPoisonEvent: PoisonEventPolicy;
  /** Absent: `read-model`. */
  kind?: ConsumerKind;
  /** Used while catching up far behind the head (docs/projections.md, "Bulk mode"). */
  bulk?: BulkForm;
  /**
   * The one of `tables` that holds its per-key versions (key, position: the last event that changed
   * the key's answers). A live batch's commit notice then names the keys it moved (notify-progress.ts),
   * so a reader evicts them without reading them back.
   */
  keyVersions?: string;
  /**
   * Called after the generation became the serving one (an indexer swaps its target in). Must be
   * idempotent: a failure retries the switch, and a crash right after the switch leaves it owed.
   */
  onServe?(generation: number): Promise<void>;
}

/** One handler per event type: the simple form, one or more statements per event. */
export interface PerEventProjection extends ProjectionBase {
  handlers: Readonly<Record<string, ProjectionHandler>>;
}

/**
 * How a projection catches up far behind the head (a rebuild, a replay, a new generation): its
 * `applyBatch` is set-based (a per-event projection's handlers stay its live form) and may keep the
 * projection's own state exact but leave rows derived from that state for later, and `finish`
 * derives them all in one pass (set-based statements over whole tables instead of once per batch). The runner calls `finish` in the transaction of the batch that reaches
 * the head (or alone, when the catch-up ends between batches), never commits a live batch while a
 * finish is owed, and keeps the owed finish with the checkpoint, so a crash anywhere resumes right.
 * After `finish` the tables must equal what the live `applyBatch` would have left.
 */
export interface BulkForm {
  applyBatch: BatchHandler;
  finish?(context: ProjectionContext): Promise<void>;
  /**
   * Drops secondary indexes that only readers use, so the bulk load does not maintain them row by
   * row; `finish` must create them again (idempotently). Called in every bulk batch's transaction,
   * but only for a generation that serves no reader yet (a rebuild building beside the active one,
   * a replay), never for the serving one catching up after an outage.
   */
  dropReaderIndexes?(context: ProjectionContext): Promise<void>;
}

/** Set-based form, for projections whose per-event statements make a rebuild slow. */
export interface BatchProjection extends ProjectionBase {
  eventTypes: readonly string[];
  applyBatch: BatchHandler;
}

export type ProjectionDefinition = PerEventProjection | BatchProjection;

export function defineProjection<P extends ProjectionDefinition>(definition: P): P {
  if (!/^[a-z][a-z0-9_-]{0,40}$/.test(definition.name)) throw new Error(`projection name ${definition.name} must be lower-case [a-z0-9_-]`);
  if (!Number.isInteger(definition.version) || definition.version < 1) throw new Error(`projection ${definition.name}: version must be a positive integer`);
  return definition;
}

/** The event types a projection consumes; the runner hands it nothing else. */
export function eventTypesOf(projection: ProjectionDefinition): ReadonlySet<string> {
  return new Set('applyBatch' in projection ? projection.eventTypes : Object.keys(projection.handlers));
}

/** The projection's bulk form, if it has one (docs/projections.md, "Bulk mode"). */
export function bulkFormOf(projection: ProjectionDefinition): BulkForm | undefined {
  return projection.bulk;
}

/** Both forms as a batch handler over events of `eventTypesOf(projection)`. */
export function batchHandlerOf(projection: ProjectionDefinition): BatchHandler {
  if ('applyBatch' in projection) return projection.applyBatch;
  const { handlers } = projection;
  return async (events, context) => {
    for (const event of events) await handlers[event.type]!(event, context);
  };
}
