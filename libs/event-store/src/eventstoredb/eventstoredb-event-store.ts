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
import { EventStoreUnavailable, WrongExpectedRevision } from '../errors.js';
import { replayedAppendResult, validateAppend } from '../append-rules.js';
import { abortableDelay, retryDelayMs } from '../abortable-delay.js';
import { UpcasterRegistry } from '../upcasters.js';
import { fromEventStoreDbError } from './eventstoredb-errors.js';
import { toRecordedEvent } from './recorded-event.js';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`; or pass a `client` the caller owns. */
  connectionString?: string;
  client?: EventStoreDBClient;
  upcasters?: UpcasterRegistry;
}

const expectedRevisions: Record<'no_stream' | 'any' | 'exists', AppendExpectedRevision> = {
  no_stream: NO_STREAM,
  any: ANY,
  exists: STREAM_EXISTS,
};

/**
 * The port over EventStoreDB/KurrentDB. Revisions are stream revisions; positions are commit
 * positions in the transaction file ($all order). The server provides concurrency, global order and
 * gap-free catch-up subscriptions; this adapter adds the port's idempotency rule and error types.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly upcasters: UpcasterRegistry;
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
  }

  async appendToStream(stream: string, events: EventToAppend[], { expectedRevision }: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    validateAppend(stream, events);
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map(({ eventId, type, data, metadata }) => jsonEvent({ id: eventId, type, data, metadata })),
        { expectedRevision: typeof expectedRevision === 'bigint' ? expectedRevision : expectedRevisions[expectedRevision] },
      );
      const position = result.position?.commit;
      // The server answers an idempotent replay without a position; the original one is in the stream.
      if (position === undefined || position < 0n) {
        return { nextRevision: result.nextExpectedRevision, position: await this.positionOf(stream, result.nextExpectedRevision) };
      }
      return { nextRevision: result.nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return this.explainConflict(stream, events, expectedRevision, error);
      throw fromEventStoreDbError(error, stream);
    }
  }

  /**
   * The server refused the expected revision. When the ids are already where this append would have
   * put them, it is a replay of an append that happened (the server only recognises those within its
   * idempotency window); when some are, DuplicateEventIds; otherwise a real concurrency conflict.
   */
  private async explainConflict(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    error: WrongExpectedVersionError,
  ): Promise<AppendResult> {
    const actual = error.actualVersion === NO_STREAM ? 'no_stream' : (error.actualVersion as bigint);
    const start = expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : undefined;
    if (start !== undefined && actual !== 'no_stream' && actual >= start) {
      const window: RecordedEvent[] = [];
      for await (const event of this.readStream(stream, { fromRevision: start, maxCount: events.length })) window.push(event);
      const ours = new Set(events.map((event) => event.eventId.toLowerCase()));
      const stored = window.filter((event) => ours.has(event.eventId.toLowerCase()));
      if (stored.length > 0) return replayedAppendResult(stream, events, stored);
    }
    throw new WrongExpectedRevision(stream, expected, actual);
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
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) yield this.upcasters.upcast(event);
      }
    } catch (error) {
      throw fromEventStoreDbError(error, stream);
    }
  }

  async *readAll({ fromPosition, maxCount = Number.POSITIVE_INFINITY }: ReadAllOptions = {}): AsyncGenerator<RecordedEvent, void, undefined> {
    if (maxCount <= 0) return;
    let delivered = 0;
    try {
      // No server-side maxCount: system events are dropped here, after the server counted them.
      const read = this.client.readAll({
        fromPosition: fromPosition === undefined ? START : { commit: fromPosition, prepare: fromPosition },
        direction: FORWARDS,
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (!event || (fromPosition !== undefined && event.position <= fromPosition)) continue;
        yield this.upcasters.upcast(event);
        if (++delivered >= maxCount) return;
      }
    } catch (error) {
      throw fromEventStoreDbError(error);
    }
  }

  /**
   * Catch-up then live through the server's own catch-up subscription; on a lost connection it
   * subscribes again from the last delivered position after a backoff.
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

  async headPosition(): Promise<bigint> {
    try {
      for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS })) {
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
