import type { Knex } from 'knex';
import { LeaseLost } from './leases/lease-fence.js';
import { PROJECTION_PROGRESS_CHANNEL } from './notify-progress.js';

export type GenerationState = 'building' | 'active' | 'retired' | 'failed' | 'replay';

/** One build of one projection: where it is in the log and whether it serves queries. */
export interface Generation {
  projection: string;
  generation: number;
  version: number;
  schemaName: string;
  state: GenerationState;
  position: bigint;
  eventsProcessed: number;
  eventsPerSecond: number;
  lastEventAt: Date | null;
  error: string | null;
  startedAt: Date;
  updatedAt: Date;
}

interface GenerationRow {
  projection: string;
  generation: number;
  version: number;
  schema_name: string;
  state: GenerationState;
  position: number | string;
  events_processed: number;
  events_per_second: number;
  last_event_at: Date | null;
  error: string | null;
  started_at: Date;
  updated_at: Date;
}

const toGeneration = (row: GenerationRow): Generation => ({
  projection: row.projection,
  generation: row.generation,
  version: row.version,
  schemaName: row.schema_name,
  state: row.state,
  position: BigInt(row.position),
  eventsProcessed: Number(row.events_processed),
  eventsPerSecond: row.events_per_second,
  lastEventAt: row.last_event_at,
  error: row.error,
  startedAt: row.started_at,
  updatedAt: row.updated_at,
});

const TABLE = 'projection_checkpoints';

export async function listGenerations(knex: Knex, projection?: string): Promise<Generation[]> {
  const query = knex<GenerationRow>(TABLE).orderBy(['projection', 'generation']);
  if (projection) query.where({ projection });
  return (await query).map(toGeneration);
}

export async function findGeneration(knex: Knex, projection: string, generation: number): Promise<Generation | undefined> {
  const row = await knex<GenerationRow>(TABLE).where({ projection, generation }).first();
  return row && toGeneration(row);
}

/** Adds the next generation of a projection; the caller names its schema from the number. A reactor's starts at `position` (startOfNewGeneration). */
export async function createGeneration(
  knex: Knex,
  projection: string,
  version: number,
  state: GenerationState,
  schemaFor: (generation: number) => string,
  position = 0n,
): Promise<Generation> {
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`projection-generation:${projection}`]);
    const { max } = (await trx(TABLE).where({ projection }).max<{ max: number | null }>('generation as max').first()) ?? { max: null };
    const generation = (max ?? 0) + 1;
    const [row] = await trx<GenerationRow>(TABLE)
      .insert({ projection, generation, version, schema_name: schemaFor(generation), state, position: position.toString() })
      .returning('*');
    return toGeneration(row);
  });
}

/** Another runner moved this generation's checkpoint first; this batch must not commit. */
export class CheckpointMoved extends Error {
  constructor(projection: string, generation: number) {
    super(`checkpoint of ${projection} generation ${generation} was moved by another runner`);
    this.name = 'CheckpointMoved';
  }
}

export interface BatchProgress {
  /** The checkpoint the batch started after; the update only applies if it is still there. */
  from: bigint;
  position: bigint;
  processed: number;
  lastEventAt: Date;
  eventsPerSecond: number;
  /** The batch was applied in bulk mode and the projection's `finish` is still owed. */
  bulkPending: boolean;
}

/**
 * Written in the batch's transaction: the checkpoint moves exactly when the batch's rows commit.
 * Compare-and-set on the previous position, so two runners on one generation cannot both apply.
 */
export async function advanceCheckpoint(
  trx: Knex.Transaction,
  projection: string,
  generation: number,
  progress: BatchProgress,
  /** Select-list expressions run in the same statement (the batch's commit notice): one round trip for both. */
  alongside?: Knex.Raw,
): Promise<void> {
  const moved = trx(TABLE)
    .where({ projection, generation, position: progress.from.toString() })
    .update(
      {
        error: null,
        position: progress.position.toString(),
        events_processed: trx.raw('events_processed + ?', [progress.processed]),
        events_per_second: progress.eventsPerSecond,
        last_event_at: progress.lastEventAt,
        bulk_pending: progress.bulkPending,
        updated_at: trx.fn.now(),
      },
      ['position'],
    );
  // A notice queued beside an update that matched nothing is rolled back with the batch (CheckpointMoved).
  const columns = [trx.raw('(SELECT count(*) FROM moved)::int AS moved'), ...(alongside ? [alongside] : [])];
  const row = (await trx.with('moved', moved).select(columns).first()) as { moved: number };
  if (row.moved === 0) throw new CheckpointMoved(projection, generation);
}

/**
 * A live batch that held none of the projection's events moves only its checkpoint: one statement
 * in an implicit transaction of its own (lease fence, checkpoint update and commit notice together)
 * instead of BEGIN, fence, update, COMMIT, four round trips that every projection paid on every
 * append whatever the event. The notice goes only when the update matched (no transaction to roll
 * it back otherwise), and the commit waits for no WAL flush, as a batch's (apply-batch.ts).
 *
 * The projections of one process get each page of the log together, so the ones it means nothing
 * to ask in the same turn of the event loop: their moves wait in `pendingMoves` and go as one
 * statement (`sendMoves`), and each caller still gets its own answer (LeaseLost, CheckpointMoved).
 */
export function advanceCheckpointAlone(
  knex: Knex,
  target: { projection: string; generation: number; leaseHolder?: string },
  progress: BatchProgress,
  notice: string,
): Promise<void> {
  let moves = pendingMoves.get(knex);
  if (!moves) {
    moves = [];
    pendingMoves.set(knex, moves);
    setImmediate(() => {
      pendingMoves.delete(knex);
      void sendMoves(knex, moves!);
    });
  }
  return new Promise((resolve, reject) => moves.push({ target, progress, notice, resolve, reject }));
}

interface PendingMove {
  target: { projection: string; generation: number; leaseHolder?: string };
  progress: BatchProgress;
  notice: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The moves asked for in the current turn of the event loop, per database. */
const pendingMoves = new WeakMap<Knex, PendingMove[]>();

async function sendMoves(knex: Knex, moves: PendingMove[]): Promise<void> {
  const rows = moves.map(({ target, progress, notice }, i) => ({
    i,
    projection: target.projection,
    generation: target.generation,
    holder: target.leaseHolder ?? null,
    position: progress.position.toString(),
    processed: progress.processed,
    eps: progress.eventsPerSecond,
    last_event_at: progress.lastEventAt,
    from_position: progress.from.toString(),
    notice,
  }));
  let answers: { i: number; leased: boolean; moved: boolean }[];
  try {
    ({ rows: answers } = await knex.raw<{ rows: { i: number; leased: boolean; moved: boolean }[] }>(
      `WITH moves AS (
         SELECT * FROM jsonb_to_recordset(?::jsonb) AS m(i int, projection text, generation int, holder text, position bigint, processed int,
                                                          eps float8, last_event_at timestamptz, from_position bigint, notice text)
       ), lease AS (
         SELECT m.i FROM moves m JOIN projection_leases l ON l.projection = m.projection AND l.owner = m.holder FOR KEY SHARE OF l
       ), moved AS (
         UPDATE ${TABLE} c
            SET error = NULL, position = m.position, events_processed = c.events_processed + m.processed, events_per_second = m.eps,
                last_event_at = m.last_event_at, bulk_pending = false, updated_at = now()
           FROM moves m
          WHERE c.projection = m.projection AND c.generation = m.generation AND c.position = m.from_position
            AND (m.holder IS NULL OR m.i IN (SELECT i FROM lease))
         RETURNING m.i
       )
       SELECT m.i, m.i IN (SELECT i FROM lease) AS leased, m.i IN (SELECT i FROM moved) AS moved,
              CASE WHEN m.i IN (SELECT i FROM moved) THEN pg_notify(?, m.notice) END AS notified,
              set_config('synchronous_commit', 'off', true) AS asynchronous
         FROM moves m`,
      [JSON.stringify(rows), PROJECTION_PROGRESS_CHANNEL],
    ));
  } catch (error) {
    for (const move of moves) move.reject(error);
    return;
  }
  for (const answer of answers) {
    const { target, resolve, reject } = moves[answer.i]!;
    if (target.leaseHolder !== undefined && !answer.leased) reject(new LeaseLost(target.projection, target.leaseHolder));
    else if (!answer.moved) reject(new CheckpointMoved(target.projection, target.generation));
    else resolve();
  }
}

/** Whether the generation's last batches were applied in bulk mode and their `finish` is still owed. */
export async function isBulkPending(knex: Knex, projection: string, generation: number): Promise<boolean> {
  const row = await knex(TABLE).where({ projection, generation }).first<{ bulk_pending: boolean } | undefined>('bulk_pending');
  return row?.bulk_pending ?? false;
}

/** In the transaction that ran the owed `finish`: the checkpoint stays where it is (compare-and-set, as a batch). */
export async function settleBulk(trx: Knex.Transaction, projection: string, generation: number, position: bigint): Promise<void> {
  const updated = await trx(TABLE)
    .where({ projection, generation, position: position.toString(), bulk_pending: true })
    .update({ bulk_pending: false, updated_at: trx.fn.now() });
  if (updated === 0) throw new CheckpointMoved(projection, generation);
}

export async function recordGenerationError(knex: Knex, projection: string, generation: number, error: string | null): Promise<void> {
  await knex(TABLE).where({ projection, generation }).update({ error, updated_at: knex.fn.now() });
}

export async function setGenerationState(
  knex: Knex,
  projection: string,
  generation: number,
  state: GenerationState,
  error: string | null = null,
): Promise<void> {
  await knex(TABLE).where({ projection, generation }).update({ state, error, updated_at: knex.fn.now() });
}
