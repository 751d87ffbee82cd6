import type { ExpectedRevision } from './event-store.port.js';

/** Revision a stream actually had when an append was refused; `no_stream` when it had no events. */
export type ActualRevision = bigint | 'no_stream';

/** Base of every error the event store adapters raise on purpose, so callers can map them in one place. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  /** True when trying the same operation again later may succeed (the store was unreachable). */
  readonly retryable: boolean = false;
}

/** Optimistic concurrency failure; the HTTP edge answers 409. */
export class WrongExpectedRevision extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION';

  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevision';
  }
}

export class StreamNotFound extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';

  constructor(readonly stream: string) {
    super(`stream ${stream} has no events`);
    this.name = 'StreamNotFound';
  }
}

/**
 * The stream was deleted for good (EventStoreDB/KurrentDB tombstone): it can be neither read nor
 * appended to again. Only an operator does that; the PostgreSQL store has no deletion. HTTP 410.
 */
export class StreamDeleted extends EventStoreError {
  readonly code = 'STREAM_DELETED';

  constructor(readonly stream: string) {
    super(`stream ${stream} was deleted`);
    this.name = 'StreamDeleted';
  }
}

/**
 * Some of the event ids of an append are already stored, but the append is not an exact replay of
 * an earlier one (same ids, same stream, same order). Appending the rest would split one decision in
 * two; answering "already done" would drop the new events. Either way a caller is confused, so it is
 * a conflict (HTTP 409).
 */
export class DuplicateEventIds extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_IDS';

  constructor(
    readonly stream: string,
    readonly eventIds: readonly string[],
  ) {
    super(`stream ${stream}: event ids already stored by a different append: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIds';
  }
}

/**
 * The store could not be reached, dropped the connection, ended the call (a node restarting), or said
 * it is not ready or too busy; the operation may be retried (HTTP 503).
 */
export class EventStoreUnavailable extends EventStoreError {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  override readonly retryable = true;

  constructor(message: string, options: { cause: unknown }) {
    super(`event store unavailable: ${message}`, options);
    this.name = 'EventStoreUnavailable';
  }
}
