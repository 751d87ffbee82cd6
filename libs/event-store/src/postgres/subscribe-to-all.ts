import type pg from 'pg';
import type { RecordedEvent, SubscribeOptions } from '../event-store.port.js';
import { EventStoreUnavailable } from '../errors.js';
import type { UpcasterRegistry } from '../upcasters.js';
import { abortableDelay, retryDelayMs } from '../abortable-delay.js';
import { AppendNotifications } from './append-notifications.js';
import { translated } from './connection-errors.js';
import { toRecordedEvent } from './event-row.js';
import { readAllPage } from './read-all-page.js';
import { readCommittedPosition } from './read-head-position.js';

export interface SubscriptionSettings {
  pool: pg.Pool;
  notifications: AppendNotifications;
  upcasters: UpcasterRegistry;
  pageSize: number;
  /** Longest sleep without a notification; only covers a lost NOTIFY, so it can be seconds. */
  fallbackPollMs: number;
}

// While a newer commit is known but still hidden behind an older running transaction, look again
// after 5 ms, 10 ms … up to this; that wait ends with the older transaction, which sends no NOTIFY
// when it belongs to another writer of the database.
const maxHiddenCommitPollMs = 250;

/**
 * Catch-up then live over the gap-free pages of read-all-page.ts. The only state is the position of
 * the last delivered event, so resuming after a lost connection is reading on from it: no event is
 * skipped and none is delivered twice. Ends (returns) when the signal aborts.
 */
export async function* subscribeToAll(
  settings: SubscriptionSettings,
  { fromPosition = 0n, signal, onRetry }: SubscribeOptions,
): AsyncGenerator<RecordedEvent, void, undefined> {
  const { pool, notifications, upcasters, pageSize } = settings;
  let lastPosition = fromPosition;
  let failures = 0;
  let hiddenCommitPolls = 0;
  try {
    while (!signal.aborted) {
      let waitMs: number;
      try {
        await notifications.listen();
        if (signal.aborted) return;
        let pageWasFull = true;
        while (pageWasFull) {
          const rows = await translated(() => readAllPage(pool, lastPosition, pageSize));
          // Checked after every await: a store being closed aborts first, then ends its pool.
          if (signal.aborted) return;
          for (const row of rows) {
            if (signal.aborted) return;
            const event = upcasters.upcast(toRecordedEvent(row));
            lastPosition = event.position;
            yield event;
          }
          pageWasFull = rows.length === pageSize;
        }
        const committed = await translated(() => readCommittedPosition(pool));
        if (signal.aborted) return;
        if (committed > lastPosition) {
          hiddenCommitPolls++;
          waitMs = Math.min(maxHiddenCommitPollMs, 5 * 2 ** Math.min(hiddenCommitPolls - 1, 8));
        } else {
          hiddenCommitPolls = 0;
          waitMs = settings.fallbackPollMs;
        }
        failures = 0;
      } catch (error) {
        if (!(error instanceof EventStoreUnavailable)) throw error;
        failures++;
        onRetry?.(error, failures);
        await abortableDelay(retryDelayMs(failures), signal);
        continue;
      }
      await notifications.next(waitMs, signal);
    }
  } finally {
    await notifications.close();
  }
}
