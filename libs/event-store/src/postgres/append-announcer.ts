import pg from 'pg';

/** The channel migration 0002's trigger notified on; the head watcher LISTENs on it. */
export const appendedChannel = 'event_store_appended';

/**
 * Tells live subscribers (of every process) that appends have committed: a `pg_notify` sent as a
 * statement of its own after the append's transaction has committed, never inside it. A transaction
 * that notifies holds the notification queue's cluster-wide lock from pre-commit until its commit is
 * flushed, so a NOTIFY inside the append made committing appends wait for one another's fsync
 * (migration 0013b). Here the lock is held only by these empty announces, at most one per store at a
 * time: appends landing while one is in flight are covered by exactly one more, sent when it returns.
 * They run on a connection of their own with `synchronous_commit = off`, so an announce's commit
 * waits for no fsync and holds the lock only for an instant; an announce lost in a crash costs only
 * latency, like any lost announce, since the head watcher also looks on its own every little while.
 * Callers never wait for it.
 */
export class AppendAnnouncer {
  private readonly pool: pg.Pool;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    connection: pg.PoolConfig,
    private readonly onError: (error: Error) => void,
  ) {
    const options = [connection.options, '-c synchronous_commit=off'].filter(Boolean).join(' ');
    this.pool = new pg.Pool({ ...connection, max: 1, options });
    // An idle announce connection that dies is replaced by the next announce; unheard, the pool's
    // 'error' event would crash the process.
    this.pool.on('error', onError);
  }

  announce(): void {
    if (this.closed) return;
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
    await this.inFlight;
    await this.pool.end();
  }

  private async send(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pool.query(`SELECT pg_notify('${appendedChannel}', '')`);
      } catch (error) {
        this.onError(error as Error);
      }
    } while (this.again);
  }
}
