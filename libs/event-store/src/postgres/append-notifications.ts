import pg from 'pg';
import { EventStoreUnavailable } from '../errors.js';
import { toEventStoreError } from './connection-errors.js';
import { appendedChannel } from './schema.js';

/**
 * A LISTEN connection that wakes one live subscriber when an append commits (the statement trigger
 * of migration 0002 NOTIFYs on every insert into `events`). It is a wake-up only: the subscriber
 * always re-reads from its last position, so a lost or merged notification cannot lose an event.
 */
export class AppendNotifications {
  private client: pg.Client | undefined;
  private failure: Error | undefined;
  private notified = false;
  private wake: (() => void) | undefined;

  constructor(private readonly connection: pg.ClientConfig) {}

  /**
   * Connects and LISTENs unless already listening. Throws EventStoreUnavailable when the connection
   * broke since the last call (the next call reconnects). Must run before the subscriber reads, so
   * that no commit falls between its read and the LISTEN.
   */
  async listen(): Promise<void> {
    if (this.failure) {
      const failure = this.failure;
      this.client = undefined;
      this.failure = undefined;
      throw new EventStoreUnavailable(failure.message, { cause: failure });
    }
    if (this.client) return;
    const client = new pg.Client(this.connection);
    const lost = (error: Error) => {
      if (this.client !== client) return;
      this.failure ??= error;
      this.wake?.();
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('Connection terminated: LISTEN connection ended')));
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${appendedChannel}`);
    } catch (error) {
      // connect and LISTEN only fail here when the connection is gone, so there is nothing to close.
      throw toEventStoreError(error);
    }
    this.client = client;
  }

  /** Resolves on a notification (also one that came while the subscriber was reading), a lost connection, the timeout, or abort. */
  next(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.notified || this.failure || signal.aborted) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  async close(): Promise<void> {
    const client = this.client;
    const broken = this.failure !== undefined;
    this.client = undefined;
    this.wake?.();
    if (client && !broken) await client.end();
  }
}
