import type pg from 'pg';
import type { ReadStreamOptions, RecordedEvent } from '../event-store.port.js';
import { StreamNotFound } from '../errors.js';
import type { UpcasterRegistry } from '../upcasters.js';
import { translated } from './connection-errors.js';
import { toRecordedEvent } from './event-row.js';
import { readStreamPage } from './read-stream-page.js';
import { readStreamRevision } from './read-stream-revision.js';

/** A stream page by page, so a long stream never sits in memory whole. */
export async function* readStream(
  pool: pg.Pool,
  upcasters: UpcasterRegistry,
  pageSize: number,
  stream: string,
  { fromRevision, direction = 'forwards', maxCount = Number.POSITIVE_INFINITY }: ReadStreamOptions = {},
): AsyncGenerator<RecordedEvent, void, undefined> {
  if (fromRevision !== undefined && fromRevision < 0n) throw new RangeError(`fromRevision must be >= 0, got ${fromRevision}`);
  let remaining = maxCount;
  let from = fromRevision;
  let firstPage = true;
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining);
    const rows = await translated(() => readStreamPage(pool, { stream, direction, fromRevision: from, limit }));
    // An empty first page from the stream's own start or end means the stream has no events; only
    // a page from a given revision can be empty in an existing stream (a read past its end), and
    // only then does it take a second query to tell the two apart.
    if (firstPage && rows.length === 0 && (fromRevision === undefined || (await translated(() => readStreamRevision(pool, stream))) === 'no_stream')) {
      throw new StreamNotFound(stream);
    }
    firstPage = false;
    for (const row of rows) yield upcasters.upcast(toRecordedEvent(row));
    if (rows.length < limit) return;
    remaining -= rows.length;
    const lastRevision = BigInt(rows[rows.length - 1]!.revision);
    if (direction === 'backwards' && lastRevision === 0n) return;
    from = direction === 'forwards' ? lastRevision + 1n : lastRevision - 1n;
  }
}
