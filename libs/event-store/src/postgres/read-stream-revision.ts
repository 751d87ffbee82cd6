import type { ActualRevision } from '../errors.js';
import type { Queryable } from './queryable.js';

/** Revision of the last event of a stream, `no_stream` when it has none (index-only on (stream_id, revision)). */
export async function readStreamRevision(db: Queryable, stream: string): Promise<ActualRevision> {
  const { rows } = await db.query<{ revision: string | null }>({
    name: 'mpp-stream-revision',
    text: 'SELECT max(revision)::text AS revision FROM events WHERE stream_id = $1',
    values: [stream],
  });
  const revision = rows[0]?.revision;
  return revision == null ? 'no_stream' : BigInt(revision);
}
