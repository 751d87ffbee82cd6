import { visibleToGapFreeReaders } from './gap-free-visibility.js';
import type { Queryable } from './queryable.js';

/** Newest position a gap-free reader may see (0 when there is none); the same filter as read-all-page.ts. */
export async function readHeadPosition(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ position: string }>({
    name: 'mpp-head-position',
    text: `SELECT coalesce(max(position), 0)::text AS position FROM events WHERE ${visibleToGapFreeReaders}`,
  });
  return BigInt(rows[0]!.position);
}

/**
 * Newest committed position, visible to gap-free readers or not yet. When it is ahead of the head
 * above, an older appending transaction is still running and a live subscriber must look again soon even
 * though the NOTIFY of the newer commit has already arrived.
 */
export async function readCommittedPosition(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ position: string }>({ name: 'mpp-committed-position', text: 'SELECT coalesce(max(position), 0)::text AS position FROM events' });
  return BigInt(rows[0]!.position);
}
