import pg from 'pg';
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
import { UpcasterRegistry } from '../upcasters.js';
import { AppendAnnouncer } from './append-announcer.js';
import { appendToStream } from './append-to-stream.js';
import { CommittedHeadWatcher } from './committed-head-watcher.js';
import { translated } from './connection-errors.js';
import { readAll } from './read-all.js';
import { readHeadPosition } from './read-head-position.js';
import { readStream } from './read-stream.js';
import { readStreams } from './read-streams.js';
import { subscribeToAll } from './subscribe-to-all.js';

export interface PostgresEventStoreOptions {
  /** A pool the caller owns (and ends); or give `connectionString` and the store owns its pool. */
  pool?: pg.Pool;
  connectionString?: string;
  upcasters?: UpcasterRegistry;
  /** Size of the pool the store creates from `connectionString`. Default 10. */
  poolSize?: number;
  /** `application_name` of the connections the store creates. Default `mpp-event-store`. */
  applicationName?: string;
  /** Events per query when reading; bounds memory per reader. Default 1,000. */
  pageSize?: number;
  /**
   * Live subscribers wake on the announces appenders send after commit (LISTEN/NOTIFY). While some
   * wait, the store also looks for new commits this often on its own, for announces that were lost
   * (a writer that crashed after its commit, a dropped connection) and for rows written by other
   * means than an append. Default 1,000 ms.
   */
  liveRecheckMs?: number;
  /**
   * Least time between two announces of this store's appends (append-announcer.ts): the first append
   * after a quiet moment is announced at once, faster appends once per this interval. Default 5 ms.
   */
  announceSpacingMs?: number;
  /**
   * Receives errors of idle pooled connections (for example when the server restarts). The pool has
   * already dropped such a connection and the next query opens a new one, so there is nothing to do
   * but log; the default emits a process warning. Without a listener, node-postgres would crash the
   * process on them.
   */
  onIdleConnectionError?: (error: Error) => void;
  /**
   * Runs on each connection the store opens (the pool's, the head watcher's, the announcer's) before
   * its first query; must not query. The projector lowers its backends' priority there.
   */
  onConnect?: (client: pg.Client) => void;
}

/** Bounds a fast writer's announces to 200 a second; docs/event-store.md, "live subscriptions". */
const DEFAULT_ANNOUNCE_SPACING_MS = 5;

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly upcasters: UpcasterRegistry;
  private readonly pageSize: number;
  private readonly closing = new AbortController();
  private readonly committedHead: CommittedHeadWatcher;
  private readonly announcer: AppendAnnouncer;
  private readonly onIdleConnectionError: (error: Error) => void;

  constructor(options: PostgresEventStoreOptions) {
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else if (options.connectionString) {
      this.pool = new pg.Pool({
        connectionString: options.connectionString,
        max: options.poolSize ?? 10,
        application_name: options.applicationName ?? 'mpp-event-store',
      });
      this.ownsPool = true;
    } else {
      throw new TypeError('createPostgresEventStore needs a pool or a connectionString');
    }
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.pageSize = options.pageSize ?? 1_000;
    // Their own application_names, so pg_stat_activity tells the watcher and the announcer from the pool.
    const applicationName = this.pool.options.application_name ?? 'mpp-event-store';
    this.committedHead = new CommittedHeadWatcher({ ...this.pool.options, application_name: `${applicationName}-head` }, options.liveRecheckMs ?? 1_000, options.onConnect);
    // A lost announce only delays live subscribers until their store's next look of its own.
    this.announcer = new AppendAnnouncer({ ...this.pool.options, application_name: `${applicationName}-announce` }, (error) =>
      process.emitWarning(`append announce failed: ${error.message}`, { code: 'MPP_EVENT_STORE_ANNOUNCE_FAILED' }),
      options.announceSpacingMs ?? DEFAULT_ANNOUNCE_SPACING_MS,
      options.onConnect,
    );
    this.onIdleConnectionError =
      options.onIdleConnectionError ??
      ((error) => process.emitWarning(`idle event store connection lost: ${error.message}`, { code: 'MPP_EVENT_STORE_IDLE_CONNECTION' }));
    this.pool.on('error', this.onIdleConnectionError);
    if (options.onConnect) this.pool.on('connect', options.onConnect);
  }

  async appendToStream(stream: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const result = await appendToStream(this.pool, stream, events, options.expectedRevision);
    this.announcer.announce(result.position);
    return result;
  }

  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return readStream(this.pool, this.upcasters, this.pageSize, stream, options);
  }

  readStreams(streams: readonly string[], fromRevisions?: ReadonlyMap<string, bigint>): Promise<Map<string, RecordedEvent[]>> {
    return readStreams(this.pool, this.upcasters, streams, fromRevisions);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return readAll(this.pool, this.upcasters, this.pageSize, options);
  }

  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    const signal = AbortSignal.any([options.signal, this.closing.signal]);
    const settings = { pool: this.pool, committedHead: this.committedHead, upcasters: this.upcasters, pageSize: this.pageSize };
    return subscribeToAll(settings, { ...options, signal });
  }

  headPosition(): Promise<bigint> {
    return translated(() => readHeadPosition(this.pool));
  }

  /** Ends running subscriptions, then the pool if the store created it. */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    await Promise.all([this.committedHead.close(), this.announcer.close()]);
    // pool.end() resolves before the sockets of its idle clients have closed, and those can still
    // report errors (a server shutting down), so an owned pool keeps its listener for good.
    if (this.ownsPool) await this.pool.end();
    else this.pool.off('error', this.onIdleConnectionError);
  }
}

export function createPostgresEventStore(options: PostgresEventStoreOptions): PostgresEventStore {
  return new PostgresEventStore(options);
}
