import type pg from 'pg';
import type { RecordedEvent } from '../event-store.port.js';
import type { UpcasterRegistry } from '../upcasters.js';
import { translated } from './connection-errors.js';
import { toRecordedEvent, type EventRow } from './event-row.js';
import { appendsReaching, eventsOfAppend, recordedEventColumnsOf } from './schema.js';

/**
 * Several streams in one query through their appends (schema.ts), each from its first wanted
 * revision on (0: whole). Like a single stream, no transaction-id filter is needed: each stream's
 * appends are serialised, so its revisions commit in order, and a stream read here is a prefix of
 * what it will be.
 */
export async function readStreams(
  pool: pg.Pool,
  upcasters: UpcasterRegistry,
  streams: readonly string[],
  fromRevisions: ReadonlyMap<string, bigint> = new Map(),
): Promise<Map<string, RecordedEvent[]>> {
  const answer = new Map<string, RecordedEvent[]>(streams.map((stream) => [stream, []]));
  if (answer.size === 0) return answer;
  const wanted = [...answer.keys()];
  const from = wanted.map((stream) => {
    const revision = fromRevisions.get(stream) ?? 0n;
    if (revision < 0n) throw new RangeError(`fromRevision must be >= 0, got ${revision} for ${stream}`);
    return revision.toString();
  });
  const { rows } = await translated(() =>
    pool.query<EventRow>({
      name: 'mpp-read-streams',
      text: `SELECT ${recordedEventColumnsOf('e')} FROM unnest($1::text[], $2::bigint[]) AS wanted(stream_id, from_revision)
               JOIN events a ON ${appendsReaching('wanted.stream_id', 'wanted.from_revision')}
               ${eventsOfAppend} WHERE e.revision >= wanted.from_revision
              ORDER BY e.stream_id, e.revision`,
      values: [wanted, from],
    }),
  );
  for (const row of rows) answer.get(row.stream_id)!.push(upcasters.upcast(toRecordedEvent(row)));
  return answer;
}
