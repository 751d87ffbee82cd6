import type pg from 'pg';
import type { RecordedEvent, SubscribeOptions } from '../event-store.port.js';
import { EventStoreUnavailable } from '../errors.js';
import type { UpcasterRegistry } from '../upcasters.js';
import { abortableDelay, retryDelayMs } from '../abortable-delay.js';
import type { CommittedHeadWatcher } from './committed-head-watcher.js';
import { translated } from './connection-errors.js';
import { toRecordedEvent } from './event-row.js';
import { readAllPage } from './read-all-page.js';
import { readCommittedPosition } from './read-head-position.js';

export interface SubscriptionSettings {
  pool: pg.Pool;
  /** Shared by the store's subscriptions: says when something past a position has committed. */
  committedHead: CommittedHeadWatcher;
  upcasters: UpcasterRegistry;
  pageSize: number;
}

// While a newer commit is known but still hidden behind an older running transaction, look again
// after 5 ms, 10 ms … up to this; that wait ends with the older transaction, which may belong to
// any writer of the database (a projection batch, an import).
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
  const { pool, committedHead, upcasters, pageSize } = settings;
  let lastPosition = fromPosition;
  let failures = 0;
  let hiddenCommitPolls = 0;
  while (!signal.aborted) {
    try {
      const drainedFrom = lastPosition;
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
        // The backoff grows only while nothing moves: a writer whose events keep arriving behind
        // short transactions (projection batches) is looked at again after 5 ms each time.
        hiddenCommitPolls = lastPosition > drainedFrom ? 1 : hiddenCommitPolls + 1;
        await abortableDelay(Math.min(maxHiddenCommitPollMs, 5 * 2 ** Math.min(hiddenCommitPolls - 1, 8)), signal);
      } else {
        hiddenCommitPolls = 0;
        // Every delivered event is committed, so `committed` equals lastPosition here: wait for more.
        await committedHead.waitBeyond(lastPosition, signal);
      }
      failures = 0;
    } catch (error) {
      if (!(error instanceof EventStoreUnavailable)) throw error;
      failures++;
      onRetry?.(error, failures);
      await abortableDelay(retryDelayMs(failures), signal);
    }
  }
}
