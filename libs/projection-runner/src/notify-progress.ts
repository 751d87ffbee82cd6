import type { Knex } from 'knex';

/**
 * The channel on which every committed batch (and every blue/green switch) is announced, so readers
 * (the API's answer cache, read-your-writes) learn of new rows without polling the checkpoints.
 */
export const PROJECTION_PROGRESS_CHANNEL = 'mpp_projection_progress';

export interface ProjectionProgress {
  projection: string;
  generation: number;
  /** The generation's checkpoint after the batch (a log position, as text: it may exceed 2^53). */
  position: string;
  /**
   * False when the batch held none of the projection's events (only its checkpoint moved), so
   * answers read from its tables are still current. Absent means it may have changed.
   */
  changed?: boolean;
}

/**
 * Queued inside the batch's transaction: PostgreSQL delivers a NOTIFY only when that transaction
 * commits, so a listener never hears of rows it cannot read yet. The payload stays tiny (the
 * 8,000-byte limit); what changed is read from the projection's own tables.
 */
export async function notifyProjectionProgress(trx: Knex.Transaction, progress: ProjectionProgress, options: { asynchronousCommit?: boolean } = {}): Promise<void> {
  await trx.raw('SELECT ?', [progressNotice(trx, progress, options)]);
}

/**
 * The notice as select-list expressions, for a statement that does more (a batch's checkpoint
 * update sends it in its own statement, so a batch pays no round trip for it; apply-batch.ts says
 * why the commit is made asynchronous).
 */
export function progressNotice(trx: Knex.Transaction, progress: ProjectionProgress, options: { asynchronousCommit?: boolean } = {}): Knex.Raw {
  const asynchronous = options.asynchronousCommit ? `, set_config('synchronous_commit', 'off', true)` : '';
  return trx.raw(`pg_notify(?, ?)${asynchronous}`, [PROJECTION_PROGRESS_CHANNEL, JSON.stringify(progress)]);
}

/** The payload as a listener receives it, or undefined for anything else on the channel. */
export function parseProjectionProgress(payload: string | undefined): ProjectionProgress | undefined {
  if (!payload) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<ProjectionProgress>;
    if (typeof value.projection !== 'string' || !Number.isInteger(value.generation) || typeof value.position !== 'string' || !/^\d{1,19}$/.test(value.position)) return undefined;
    return { projection: value.projection, generation: value.generation!, position: value.position, ...(value.changed === false ? { changed: false } : {}) };
  } catch {
    return undefined;
  }
}
