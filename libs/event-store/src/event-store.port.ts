/**
 * The event store port. Two adapters implement it (PostgreSQL, the embedded default, and
 * EventStoreDB/KurrentDB) and both must pass the one contract suite in `event-store.contract.ts`.
 *
 * Revisions are per stream and start at 0; positions are global, strictly increasing in commit
 * order, and opaque beyond that (PostgreSQL: a sequence value; EventStoreDB: the commit position).
 */

export type ExpectedRevision = 'no_stream' | 'any' | 'exists' | bigint;

export interface EventMetadata {
  correlationId: string;
  causationId: string;
  /** A user id or `system:<job>`; never an email or a name. */
  actor: string;
  schemaVersion: number;
  /** ISO-8601 instant the fact happened (from the command, never read from a clock here). */
  occurredAt: string;
  /** Fitment streams carry the hash chain; other streams may add their own keys. */
  [key: string]: unknown;
}

export interface EventToAppend {
  /** UUID; the idempotency key of the append. */
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  streamId: string;
  revision: bigint;
  position: bigint;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  createdAt: Date;
}

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
}

export interface ReadStreamOptions {
  fromRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the beginning. */
  fromPosition?: bigint;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive, as in readAll. */
  fromPosition?: bigint;
  signal: AbortSignal;
  /**
   * Called each time the subscription lost the store and is about to retry (it resumes after the
   * last delivered event by itself); for logs and health, not for control flow.
   */
  onRetry?: (error: Error, attempt: number) => void;
}

export interface EventStore {
  /**
   * Throws WrongExpectedRevision on a concurrency conflict, DuplicateEventIds when some (not all) of
   * the event ids are already stored, EventStoreUnavailable when the store cannot be reached. An exact
   * replay of an earlier append (same event ids, same stream, same order) writes nothing and returns
   * the original result.
   */
  appendToStream(stream: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** Throws StreamNotFound when the stream has no events. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up then live; ends when the signal aborts. Never skips, never repeats. */
  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Position of the newest committed event visible to readers (0n when empty). */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}
