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
  /** The checkpoint before the batch (exclusive): `keys` are what changed after it, up to `position`. */
  from?: string;
  /**
   * Every key of the projection's `keyVersions` table that the batch moved (its version is now past
   * `from`), read in the batch's own transaction. Absent when the projection has none, the batch was
   * a bulk one, or the keys would not fit the payload: the reader then reads them itself.
   */
  keys?: string[];
}

/** Most keys a notice names; more, or more bytes than a notice holds, and it names none (the reader reads them). */
export const MAX_NOTICE_KEYS = 100;
const MAX_NOTICE_KEY_BYTES = 6_000;

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
 * why the commit is made asynchronous). With `keysFrom`, the payload also names the keys of that
 * versions table (qualified) whose version is past `progress.from`: the batch's own writes, seen
 * by its own statement, so the list is complete without the reader asking. Capped well under
 * NOTIFY's 8,000 bytes; past the cap the notice names none.
 */
export function progressNotice(
  trx: Knex.Transaction,
  progress: ProjectionProgress,
  options: { asynchronousCommit?: boolean; keysFrom?: string } = {},
): Knex.Raw {
  const asynchronous = options.asynchronousCommit ? `, set_config('synchronous_commit', 'off', true)` : '';
  if (options.keysFrom === undefined || progress.from === undefined) {
    return trx.raw(`pg_notify(?, ?)${asynchronous}`, [PROJECTION_PROGRESS_CHANNEL, JSON.stringify(progress)]);
  }
  const payload = JSON.stringify(progress);
  return trx.raw(
    `pg_notify(?, (SELECT CASE WHEN count(*) <= ? AND coalesce(sum(octet_length(moved.key) + 3), 0) <= ?
                               THEN ?::jsonb || jsonb_build_object('keys', coalesce(jsonb_agg(moved.key), '[]'::jsonb))
                               ELSE ?::jsonb END::text
                     FROM (SELECT key FROM ${options.keysFrom} WHERE position > ?::bigint LIMIT ?) moved))${asynchronous}`,
    [PROJECTION_PROGRESS_CHANNEL, MAX_NOTICE_KEYS, MAX_NOTICE_KEY_BYTES, payload, payload, progress.from, MAX_NOTICE_KEYS + 1],
  );
}

/** The payload as a listener receives it, or undefined for anything else on the channel. */
export function parseProjectionProgress(payload: string | undefined): ProjectionProgress | undefined {
  if (!payload) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<ProjectionProgress>;
    if (typeof value.projection !== 'string' || !Number.isInteger(value.generation) || typeof value.position !== 'string' || !/^\d{1,19}$/.test(value.position)) return undefined;
    // Keys count only with the position they start after; a malformed list is as good as none.
    const keyed = typeof value.from === 'string' && /^\d{1,19}$/.test(value.from) && Array.isArray(value.keys) && value.keys.every((key) => typeof key === 'string');
    return {
      projection: value.projection,
      generation: value.generation!,
      position: value.position,
      ...(value.changed === false ? { changed: false } : {}),
      ...(keyed ? { from: value.from, keys: value.keys } : {}),
    };
  } catch {
    return undefined;
  }
}
