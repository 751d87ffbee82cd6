import pg from 'pg';
import { abortableDelay } from '../abortable-delay.js';

/** The channel migration 0002's trigger notified on; the head watcher LISTENs on it. */
export const appendedChannel = 'event_store_appended';

/**
 * Tells live subscribers (of every process) that appends have committed, up to which position: a
 * `pg_notify` whose payload is the newest position it covers, sent as a
 * statement of its own after the append's transaction has committed, never inside it. A transaction
 * that notifies holds the notification queue's cluster-wide lock from pre-commit until its commit is
 * flushed, so a NOTIFY inside the append made committing appends wait for one another's fsync
 * (migration 0013b). Here the lock is held only by these empty announces, at most one per store at a
 * time: appends landing while one is in flight are covered by exactly one more, sent when it returns.
 * They run on a connection of their own with `synchronous_commit = off`, so an announce's commit
 * waits for no fsync and holds the lock only for an instant; an announce lost in a crash costs only
 * latency, like any lost announce, since the head watcher also looks on its own every little while.
 * Callers never wait for it.
 *
 * Announces are also spaced: one starts at least `minSpacingMs` after the previous one started. An
 * append after a quiet moment is announced at once (what command-to-visible waits for); a writer
 * appending faster than that is announced once per spacing rather than after nearly every append —
 * a single serial writer of single events otherwise paid a second transaction per append.
 */
export class AppendAnnouncer {
  private readonly pool: pg.Pool;
  private inFlight: Promise<void> | undefined;
  private again = false;
  /** Newest position of the appends announced so far, and of those still owed an announce. */
  private newest = 0n;
  private closed = false;
  private lastStartedAt = -Infinity;
  /** Cuts the spacing short on close, so the announce still owed goes at once. */
  private readonly closing = new AbortController();

  constructor(
    connection: pg.PoolConfig,
    private readonly onError: (error: Error) => void,
    private readonly minSpacingMs = 0,
    onConnect?: (client: pg.Client) => void,
  ) {
    const options = [connection.options, '-c synchronous_commit=off'].filter(Boolean).join(' ');
    this.pool = new pg.Pool({ ...connection, max: 1, options });
    // An idle announce connection that dies is replaced by the next announce; unheard, the pool's
    // 'error' event would crash the process.
    this.pool.on('error', onError);
    if (onConnect) this.pool.on('connect', onConnect);
  }

  /** After an append has committed, with the position of its last event. */
  announce(position: bigint): void {
    if (this.closed) return;
    if (position > this.newest) this.newest = position;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.send().finally(() => {
      this.inFlight = undefined;
    });
  }

  /** Stops taking announces, sends the one still owed to appends already made, and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    await this.inFlight;
    await this.pool.end();
  }

  private async send(): Promise<void> {
    do {
      const wait = this.lastStartedAt + this.minSpacingMs - performance.now();
      if (wait > 0) await abortableDelay(wait, this.closing.signal);
      // This announce covers every announce() before this line; any after it is owed another.
      this.again = false;
      this.lastStartedAt = performance.now();
      try {
        await this.pool.query(`SELECT pg_notify('${appendedChannel}', $1)`, [this.newest.toString()]);
      } catch (error) {
        this.onError(error as Error);
      }
    } while (this.again);
  }
}
