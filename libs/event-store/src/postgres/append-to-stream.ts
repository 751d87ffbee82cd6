import type pg from 'pg';
import type { AppendResult, EventToAppend, ExpectedRevision } from '../event-store.port.js';
import { assertExpectedRevision, replayedAppendResult, validateAppend } from '../append-rules.js';
import { toEventStoreError } from './connection-errors.js';
import { findStoredEvents } from './find-stored-events.js';
import { insertEvents } from './insert-events.js';
import { lockStream } from './lock-stream.js';
import { readStreamRevision } from './read-stream-revision.js';
import { reservePositions } from './reserve-positions.js';
import { inTransaction } from './transaction.js';

/**
 * One append, one transaction. A unique violation means a concurrent append stored one of our event
 * ids (in another stream, which our stream lock does not cover) between our check and our insert:
 * the second attempt then sees it and answers replay or DuplicateEventIds.
 */
export async function appendToStream(
  pool: pg.Pool,
  stream: string,
  events: readonly EventToAppend[],
  expectedRevision: ExpectedRevision,
): Promise<AppendResult> {
  validateAppend(stream, events);
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(pool, (client) => appendInTransaction(client, stream, events, expectedRevision));
    } catch (error) {
      if (attempt === 1 && (error as { code?: string }).code === '23505') continue;
      throw toEventStoreError(error);
    }
  }
}

/**
 * The statements of an append, in the order the gap-free reading needs: the stream lock and the
 * checks write nothing, so the transaction has no id yet when it reserves its positions.
 * Exported for tests that must hold an append open; production code calls appendToStream.
 */
export async function appendInTransaction(
  client: pg.PoolClient,
  stream: string,
  events: readonly EventToAppend[],
  expectedRevision: ExpectedRevision,
): Promise<AppendResult> {
  await lockStream(client, stream);
  const stored = await findStoredEvents(client, events.map((event) => event.eventId));
  if (stored.length > 0) return replayedAppendResult(stream, events, stored);
  const current = await readStreamRevision(client, stream);
  assertExpectedRevision(stream, expectedRevision, current);
  const firstPosition = await reservePositions(client, events.length);
  const firstRevision = current === 'no_stream' ? 0n : current + 1n;
  await insertEvents(client, { stream, events, firstRevision, firstPosition });
  const last = BigInt(events.length - 1);
  return { nextRevision: firstRevision + last, position: firstPosition + last };
}
