import type pg from 'pg';
import type { RecordedEvent } from '../event-store.port.js';
import type { UpcasterRegistry } from '../upcasters.js';
import { translated } from './connection-errors.js';
import { toRecordedEvent, type EventRow } from './event-row.js';
import { recordedEventColumns } from './schema.js';

/**
 * Several streams whole in one query on the (stream_id, revision) index. Like a single stream, no
 * transaction-id filter is needed: each stream's appends are serialised, so its revisions commit
 * in order, and a stream read here is a prefix of what it will be.
 */
export async function readStreams(pool: pg.Pool, upcasters: UpcasterRegistry, streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
  const answer = new Map<string, RecordedEvent[]>(streams.map((stream) => [stream, []]));
  if (answer.size === 0) return answer;
  const { rows } = await translated(() =>
    pool.query<EventRow>(`SELECT ${recordedEventColumns} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY events.stream_id, events.revision`, [[...answer.keys()]]),
  );
  for (const row of rows) answer.get(row.stream_id)!.push(upcasters.upcast(toRecordedEvent(row)));
  return answer;
}
