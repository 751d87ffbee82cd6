import pg from 'pg';
import { appendedChannel } from './append-announcer.js';
import { toEventStoreError } from './connection-errors.js';
import { readCommittedPosition } from './read-head-position.js';

interface Waiter {
  after: bigint;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Tells the live subscribers of one store when an event past their position has committed. It
 * LISTENs on a connection of its own for the announces appenders send after their commits
 * (append-announcer.ts; from any process), which name the newest position they cover, and wakes
 * the waiters below it; on an announce without a position it reads the newest committed position
 * (`max(position)`, one backward index step) once for all its waiters. The append itself sends no
 * NOTIFY (migration 0013b; docs/event-store.md, "live subscriptions"). An announce can be lost (its
 * writer crashed between commit and announce, or this connection dropped), so while some subscriber
 * waits the watcher also looks every `recheckMs` on its own; it sends nothing while nobody waits.
 * Wake-ups carry nothing a subscriber relies on: it always reads on from its last delivered position.
 */
export class CommittedHeadWatcher {
  private client: pg.Client | undefined;
  private readonly waiters = new Set<Waiter>();
  /** The next look of its own (the safety re-check), pending while some subscriber waits. */
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  /** An announce (or a new waiter) arrived during a look, which may have read the head before its commit. */
  private checkAgain = false;
  private closed = false;
  /** The connection broke while nobody waited: the next wait hears of it, like a failed read. */
  private unreported: Error | undefined;
  /** Connections this watcher ended or already reported: their 'error' and 'end' events are expected. */
  private readonly ended = new WeakSet<pg.Client>();

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly recheckMs: number,
    private readonly onConnect?: (client: pg.Client) => void,
  ) {}

  /**
   * Resolves once an event after `position` has committed (visible to gap-free readers or not yet),
   * or when the signal aborts or the store closes; rejects with EventStoreUnavailable when the
   * watcher's connection fails.
   */
  waitBeyond(position: bigint, signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.closed) return Promise.resolve();
    if (this.unreported) {
      const failure = this.unreported;
      this.unreported = undefined;
      return Promise.reject(failure);
    }
    return new Promise<void>((resolve, reject) => {
      const settle = () => {
        this.waiters.delete(waiter);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        settle();
        resolve();
      };
      const waiter: Waiter = {
        after: position,
        resolve: () => {
          settle();
          resolve();
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      // The subscriber read the head before it called; a commit since then may have been announced
      // before this watcher listened, so look once now that it waits.
      void this.check();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of [...this.waiters]) waiter.resolve();
    const client = this.client;
    this.client = undefined;
    if (client) this.ended.add(client);
    await client?.end().catch(() => undefined);
  }

  /**
   * An announce names the newest position it covers: the waiters below it wake without a read of
   * the head, one round trip less between an append and a live subscriber. An announce without one
   * (an older appender) is checked as before.
   */
  private announced(payload: string | undefined): void {
    if (payload === undefined || !/^\d{1,19}$/.test(payload)) {
      void this.check();
      return;
    }
    const committed = BigInt(payload);
    for (const waiter of [...this.waiters]) if (committed > waiter.after) waiter.resolve();
  }

  private async check(): Promise<void> {
    if (this.closed || this.waiters.size === 0) return;
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      do {
        this.checkAgain = false;
        const committed = await readCommittedPosition(await this.connected());
        for (const waiter of [...this.waiters]) if (committed > waiter.after) waiter.resolve();
      } while (this.checkAgain && !this.closed && this.waiters.size > 0);
    } catch (error) {
      const client = this.client;
      this.client = undefined;
      if (client) this.ended.add(client);
      client?.end().catch(() => undefined);
      // Connection failures become EventStoreUnavailable (subscribers retry); anything else ends them.
      const failure = toEventStoreError(error) as Error;
      if (this.waiters.size === 0) this.unreported = failure;
      for (const waiter of [...this.waiters]) waiter.reject(failure);
    } finally {
      this.checking = false;
    }
    if (!this.closed && this.waiters.size > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.check();
      }, this.recheckMs);
    }
  }

  private async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client(this.connection);
    // A lost connection is the subscribers' connection lost: they hear of it (and report it through
    // onRetry) at once if they wait, else on their next wait, as they would of a failed read.
    // Unheard, the 'error' event would also crash the process.
    const lost = (error: Error) => {
      if (this.ended.has(client)) return;
      this.ended.add(client);
      if (this.client === client) this.client = undefined;
      const failure = toEventStoreError(error) as Error;
      if (this.waiters.size === 0) this.unreported = failure;
      for (const waiter of [...this.waiters]) waiter.reject(failure);
    };
    client.on('error', lost);
    client.on('notification', (message) => this.announced(message.payload));
    client.on('end', () => lost(new Error('Connection terminated: head watcher connection ended')));
    try {
      await client.connect();
      this.onConnect?.(client);
      await client.query(`LISTEN ${appendedChannel}`);
    } catch (error) {
      this.ended.add(client);
      client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      this.ended.add(client);
      await client.end();
      throw new Error('Client was closed and is not queryable');
    }
    this.client = client;
    return client;
  }
}
