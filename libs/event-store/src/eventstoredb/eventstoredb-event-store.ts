import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AppendExpectedRevision,
} from '@eventstore/db-client';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port.js';
import { EventStoreUnavailable, StreamNotFound, WrongExpectedRevision, type ActualRevision } from '../errors.js';
import { assertExpectedRevision, replayedAppendResult, validateAppend, type StoredEventPlace } from '../append-rules.js';
import { abortableDelay, retryDelayMs } from '../abortable-delay.js';
import { UpcasterRegistry } from '../upcasters.js';
import { fromEventStoreDbError } from './eventstoredb-errors.js';
import { itemsOf } from './read-call.js';
import { commitPositionOf, toRecordedEvent } from './recorded-event.js';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`; or pass a `client` the caller owns. */
  connectionString?: string;
  client?: EventStoreDBClient;
  upcasters?: UpcasterRegistry;
  /**
   * Longest wait for a read the adapter makes on its own (`headPosition()`, the look-up before an
   * append) before it counts as unavailable; the caller's readAll/readStream may rightly take longer.
   */
  readDeadlineMs?: number;
}

const expectedRevisions: Record<'no_stream' | 'any' | 'exists', AppendExpectedRevision> = {
  no_stream: NO_STREAM,
  any: ANY,
  exists: STREAM_EXISTS,
};

/**
 * The port over EventStoreDB/KurrentDB. Revisions are stream revisions; positions are commit
 * positions in the transaction file ($all order). The server provides concurrency, global order and
 * gap-free catch-up subscriptions; this adapter adds the port's idempotency rule, its error types,
 * and ends every read call it starts (read-call.ts).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly upcasters: UpcasterRegistry;
  private readonly readDeadlineMs: number;
  private readonly closing = new AbortController();

  constructor(options: EventStoreDbEventStoreOptions) {
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else if (options.connectionString) {
      this.client = EventStoreDBClient.connectionString(options.connectionString);
      this.ownsClient = true;
    } else {
      throw new TypeError('createEventStoreDbEventStore needs a client or a connectionString');
    }
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.readDeadlineMs = options.readDeadlineMs ?? 10_000;
  }

  /**
   * The ids are looked up in the stream before anything is written, because the server checks them
   * only in some cases: with an expected revision equal to the current one it appends without looking
   * (IndexWriter.CheckCommit), and with `any` it looks only in its cache of recent writes. Should
   * another writer append between the look-up and the append, the server refuses the revision (or,
   * for `any`, finds the fresh ids in that cache), and the look-up runs once more to answer.
   */
  async appendToStream(stream: string, events: EventToAppend[], { expectedRevision }: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    validateAppend(stream, events);
    const before = await this.storedPlaces(stream, events);
    if (before.stored.length > 0) return replayedAppendResult(stream, events, before.stored);
    assertExpectedRevision(stream, expectedRevision, before.current);
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map(({ eventId, type, data, metadata }) => jsonEvent({ id: eventId, type, data, metadata })),
        { expectedRevision: typeof expectedRevision === 'bigint' ? expectedRevision : expectedRevisions[expectedRevision] },
      );
      const position = result.position?.commit;
      // The server answers a replay it recognised itself without a usable position; the original one is in the stream.
      if (position === undefined || position < 0n) {
        return { nextRevision: result.nextExpectedRevision, position: await this.positionOf(stream, result.nextExpectedRevision) };
      }
      return { nextRevision: result.nextExpectedRevision, position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw fromEventStoreDbError(error, stream);
      const after = await this.storedPlaces(stream, events);
      if (after.stored.length > 0) return replayedAppendResult(stream, events, after.stored);
      throw new WrongExpectedRevision(stream, expectedRevision, after.current);
    }
  }

  /**
   * Where the ids of an append already are in the stream, and the stream's current revision: the
   * stream read backwards, stopping as soon as every id is found. Event ids are unique per stream on
   * this store, not across streams, so ids stored elsewhere are not seen.
   */
  private async storedPlaces(stream: string, events: readonly EventToAppend[]): Promise<{ current: ActualRevision; stored: StoredEventPlace[] }> {
    const wanted = new Set(events.map((event) => event.eventId.toLowerCase()));
    const stored: StoredEventPlace[] = [];
    let current: ActualRevision = 'no_stream';
    try {
      for await (const resolved of itemsOf(this.client.readStream(stream, { fromRevision: END, direction: BACKWARDS }), this.readDeadlineMs)) {
        const event = resolved.event;
        if (!event) continue;
        if (current === 'no_stream') current = event.revision;
        if (!wanted.has(event.id.toLowerCase())) continue;
        stored.push({ eventId: event.id, streamId: stream, revision: event.revision, position: commitPositionOf(resolved) });
        if (stored.length === wanted.size) break;
      }
    } catch (error) {
      const mapped = fromEventStoreDbError(error, stream);
      if (!(mapped instanceof StreamNotFound)) throw mapped;
    }
    return { current, stored };
  }

  private async positionOf(stream: string, revision: bigint): Promise<bigint> {
    for await (const event of this.readStream(stream, { fromRevision: revision, maxCount: 1 })) return event.position;
    throw new Error(`stream ${stream} has no revision ${revision} right after appending it`);
  }

  async *readStream(stream: string, { fromRevision, direction = 'forwards', maxCount }: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent, void, undefined> {
    if (maxCount === 0) return;
    try {
      const read = this.client.readStream(stream, {
        fromRevision: fromRevision ?? (direction === 'forwards' ? START : END),
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        ...(maxCount === undefined ? {} : { maxCount }),
      });
      for await (const resolved of itemsOf(read)) {
        const event = toRecordedEvent(resolved);
        if (event) yield this.upcasters.upcast(event);
      }
    } catch (error) {
      throw fromEventStoreDbError(error, stream);
    }
  }

  /** The server has no multi-stream read: the streams are read side by side, one call each. */
  async readStreams(streams: readonly string[], fromRevisions: ReadonlyMap<string, bigint> = new Map()): Promise<Map<string, RecordedEvent[]>> {
    const unique = [...new Set(streams)];
    const read = await Promise.all(
      unique.map(async (stream) => {
        const events: RecordedEvent[] = [];
        const fromRevision = fromRevisions.get(stream);
        if (fromRevision !== undefined && fromRevision < 0n) throw new RangeError(`fromRevision must be >= 0, got ${fromRevision} for ${stream}`);
        try {
          // Past the stream's end the server answers nothing (an existing stream) or StreamNotFound: [] either way.
          for await (const event of this.readStream(stream, fromRevision === undefined ? {} : { fromRevision })) events.push(event);
        } catch (error) {
          if (!(error instanceof StreamNotFound)) throw error;
        }
        return [stream, events] as const;
      }),
    );
    return new Map(read);
  }

  async *readAll({ fromPosition, includeFromPosition = false, maxCount = Number.POSITIVE_INFINITY }: ReadAllOptions = {}): AsyncGenerator<RecordedEvent, void, undefined> {
    if (maxCount <= 0) return;
    let delivered = 0;
    try {
      // The server reads forwards from a position inclusively; no server-side maxCount, because it
      // would count the system events dropped here.
      const read = this.client.readAll({
        fromPosition: fromPosition === undefined || fromPosition === 0n ? START : { commit: fromPosition, prepare: fromPosition },
        direction: FORWARDS,
      });
      for await (const resolved of itemsOf(read)) {
        const event = toRecordedEvent(resolved);
        if (!event) continue;
        if (fromPosition !== undefined && (includeFromPosition ? event.position < fromPosition : event.position <= fromPosition)) continue;
        yield this.upcasters.upcast(event);
        if (++delivered >= maxCount) return;
      }
    } catch (error) {
      throw fromEventStoreDbError(error);
    }
  }

  /**
   * Catch-up then live through the server's own catch-up subscription; when the call is lost or the
   * server ends it (UNAVAILABLE, CANCELLED on a restart, not ready), it subscribes again from the last
   * delivered position after a backoff. Only errors that a retry cannot fix end the iteration.
   */
  async *subscribeToAll({ fromPosition = 0n, signal: callerSignal, onRetry }: SubscribeOptions): AsyncGenerator<RecordedEvent, void, undefined> {
    const signal = AbortSignal.any([callerSignal, this.closing.signal]);
    let lastPosition = fromPosition;
    let failures = 0;
    while (!signal.aborted) {
      const subscription = this.client.subscribeToAll({
        fromPosition: lastPosition === 0n ? START : { commit: lastPosition, prepare: lastPosition },
        filter: excludeSystemEvents(),
      });
      const stop = () => void subscription.unsubscribe();
      signal.addEventListener('abort', stop, { once: true });
      try {
        for await (const resolved of subscription) {
          if (signal.aborted) return;
          const event = toRecordedEvent(resolved);
          if (!event || event.position <= lastPosition) continue;
          lastPosition = event.position;
          failures = 0;
          yield this.upcasters.upcast(event);
        }
        if (signal.aborted) return;
        failures++;
        onRetry?.(new EventStoreUnavailable('subscription ended by the server', { cause: undefined }), failures);
      } catch (error) {
        if (signal.aborted) return;
        const mapped = fromEventStoreDbError(error);
        if (!(mapped instanceof EventStoreUnavailable)) throw mapped;
        failures++;
        onRetry?.(mapped, failures);
      } finally {
        signal.removeEventListener('abort', stop);
        await subscription.unsubscribe();
      }
      await abortableDelay(retryDelayMs(failures), signal);
    }
  }

  /** The newest application event, read backwards from the end; the call ends at the first one. */
  async headPosition(): Promise<bigint> {
    try {
      for await (const resolved of itemsOf(this.client.readAll({ fromPosition: END, direction: BACKWARDS }), this.readDeadlineMs)) {
        const event = toRecordedEvent(resolved);
        if (event) return event.position;
      }
      return 0n;
    } catch (error) {
      throw fromEventStoreDbError(error);
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    if (this.ownsClient) await this.client.dispose();
  }
}

export function createEventStoreDbEventStore(options: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
  return new EventStoreDbEventStore(options);
}
