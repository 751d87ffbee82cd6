import type pg from 'pg';
import type { AppendResult, EventToAppend, ExpectedRevision } from '../event-store.port.js';
import { validateAppend } from '../append-rules.js';
import { DuplicateEventIds, WrongExpectedRevision } from '../errors.js';
import { appendEvents } from './append-events.js';
import { toEventStoreError } from './connection-errors.js';

/**
 * One append, one round trip (append-events.ts). The first attempt leaves stored ids to the unique
 * index on event_id; a unique violation then means some id is stored already (a retried append, or
 * a concurrent append of the same id to another stream), and the second attempt looks the ids up
 * first and answers replay or DuplicateEventIds.
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
      return await appendEvents(pool, stream, events, expectedRevision, attempt > 1);
    } catch (error) {
      if (attempt === 1 && sqlState(error) === '23505') continue;
      throw typedAppendError(error, stream, events, expectedRevision);
    }
  }
}

/**
 * The same append inside a transaction the caller holds open (tests of the gap-free read); no retry,
 * since a failed statement aborts the caller's transaction.
 */
export async function appendInTransaction(
  client: pg.PoolClient,
  stream: string,
  events: readonly EventToAppend[],
  expectedRevision: ExpectedRevision,
): Promise<AppendResult> {
  validateAppend(stream, events);
  try {
    return await appendEvents(client, stream, events, expectedRevision, true);
  } catch (error) {
    throw typedAppendError(error, stream, events, expectedRevision);
  }
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function typedAppendError(error: unknown, stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): unknown {
  const detail = (error as { detail?: unknown } | null)?.detail;
  switch (sqlState(error)) {
    case 'MP001':
      return new WrongExpectedRevision(stream, expected, detail === 'no_stream' ? 'no_stream' : BigInt(String(detail)));
    case 'MP002': {
      const places = String(detail).split(',').map(Number);
      return new DuplicateEventIds(stream, places.map((place) => events[place - 1]!.eventId));
    }
    default:
      return toEventStoreError(error);
  }
}
