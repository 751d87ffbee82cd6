import type pg from 'pg';

/** The channel migration 0002's trigger notified on; the head watcher LISTENs on it. */
export const appendedChannel = 'event_store_appended';

/**
 * Tells live subscribers (of every process) that appends have committed: a `pg_notify` sent as a
 * statement of its own after the append's transaction has committed, never inside it. A transaction
 * that notifies holds the notification queue's cluster-wide lock from pre-commit until its commit is
 * flushed, so a NOTIFY inside the append would make committing appends wait for one another's fsync
 * (migration 0013b). Sent after commit, the lock is held only for the instant of an empty
 * autocommit statement, by at most one announce per store at a time: appends landing while one is
 * in flight are covered by exactly one more, sent when it returns. Callers never wait for it, and a
 * lost announce costs only latency: the head watcher looks again on its own every little while.
 */
export class AppendAnnouncer {
  private inFlight: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onError: (error: Error) => void,
  ) {}

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

  /** Stops announcing and waits for the announce in flight, so the pool can end after it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.inFlight;
  }

  private async send(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pool.query(`SELECT pg_notify('${appendedChannel}', '')`);
      } catch (error) {
        this.onError(error as Error);
      }
    } while (this.again && !this.closed);
  }
}
