import type { ActualRevision } from '../errors.js';
import type { Queryable } from './queryable.js';
import { appendsOf } from './schema.js';

/**
 * Revision of the last event of a stream, `no_stream` when it has none: the last append's first
 * revision plus its length, minus one (index-only on the stream index, migration 0036).
 */
export async function readStreamRevision(db: Queryable, stream: string): Promise<ActualRevision> {
  const { rows } = await db.query<{ revision: string }>({
    name: 'mpp-stream-revision',
    text: `SELECT (revision + append_size - 1)::text AS revision FROM events
            WHERE ${appendsOf('$1', 'events')} ORDER BY events.revision DESC LIMIT 1`,
    values: [stream],
  });
  const revision = rows[0]?.revision;
  return revision === undefined ? 'no_stream' : BigInt(revision);
}
