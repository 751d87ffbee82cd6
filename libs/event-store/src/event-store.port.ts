/**
 * The event store port. Two adapters implement it (PostgreSQL, the embedded default, and
 * EventStoreDB/KurrentDB) and both must pass the one contract suite in `event-store.contract.ts`.
 *
 * Revisions are per stream and start at 0; positions are global, strictly increasing in commit
 * order, and opaque beyond that (PostgreSQL: a sequence value; EventStoreDB: the commit position,
 * a byte offset in the transaction log). Never compute a position (`p - 1`, `head - p` as a count):
 * on EventStoreDB only positions taken from events are places a read can start from.
 */

/** Which adapter a store is; recorded with projection checkpoints, whose positions mean nothing in the other. */
export type EventStoreKind = 'postgres' | 'eventstoredb';

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
  /**
   * Include the event at `fromPosition` itself (an inclusive start, e.g. `events export
   * --from-position`). On EventStoreDB `fromPosition` must then be an event's position.
   */
  includeFromPosition?: boolean;
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

/**
 * Every read ends its call to the store when the iteration ends: at its end, at `maxCount`, on an
 * error, and when the consumer stops early (`break`, `return`). Stopping early is always safe.
 *
 * `readAll`, `subscribeToAll` and `headPosition` show the application's events only, by one rule:
 * EventStoreDB's system events (stream or type starting with `$`) and non-JSON events are hidden.
 */
export interface EventStore {
  readonly kind: EventStoreKind;
  /**
   * Idempotency first: when any of the event ids is already in the stream, an exact replay of an
   * earlier append (same ids, same stream, same order, consecutive revisions) writes nothing and
   * returns the original result, whatever the expected revision says now (also when it equals the
   * current revision); anything else with stored ids is DuplicateEventIds. Then the expected
   * revision: WrongExpectedRevision on a conflict. EventStoreUnavailable (retryable) when the store
   * cannot be reached or is not ready; StreamDeleted for a deleted stream.
   */
  appendToStream(stream: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** Throws StreamNotFound when the stream has no events, StreamDeleted when it was deleted. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /**
   * Several short streams whole, forwards (e.g. the fitment streams of one part whose hash chains an
   * audit checks): one round trip on PostgreSQL where a read per stream would hold a connection
   * each. Every requested stream is a key of the answer; one without events maps to `[]` (absence is
   * an answer here, not StreamNotFound). StreamDeleted for a deleted stream. Whole streams sit in
   * memory: for streams of a handful of events, never for an unbounded one.
   *
   * `fromRevisions` reads a stream only from the given revision on (inclusive), e.g. the tail of a
   * chain verified up to the revision before it; a stream it does not name is read whole. Read from
   * past its end, a stream maps to `[]`.
   */
  readStreams(streams: readonly string[], fromRevisions?: ReadonlyMap<string, bigint>): Promise<Map<string, RecordedEvent[]>>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * Catch-up then live; ends when the signal aborts. Never skips, never repeats. A lost or
   * server-ended call is retried from the last delivered event (`onRetry`), never thrown.
   */
  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Position of the newest committed event visible to readers (0n when empty). */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}
