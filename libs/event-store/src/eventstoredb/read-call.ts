import type { StreamingRead } from '@eventstore/db-client';
import { EventStoreUnavailable } from '../errors.js';

/**
 * The items of one client read, ending its gRPC call however the iteration ends. The client's
 * ReadStream is a Transform that the call is piped into: a `break`, an error or a `maxCount` reached
 * on our side destroys the Transform, which only unpipes it, and the call stays open (the client sets
 * no deadline on reads). A server allows about 100 open calls per HTTP/2 connection, so leaked calls
 * soon leave every later call waiting for ever. `cancel()` ends the call; after a normal end it is a no-op.
 *
 * With `deadlineMs`, a read that has not finished by then is cancelled and reported as
 * EventStoreUnavailable (a cancelled call otherwise just ends, and would read as "no more events").
 */
export async function* itemsOf<T>(read: StreamingRead<T>, deadlineMs?: number): AsyncGenerator<T, void, undefined> {
  let timedOut = false;
  const deadline =
    deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          void cancel(read);
        }, deadlineMs);
  try {
    for await (const item of read) {
      if (timedOut) break;
      yield item as T;
    }
    if (timedOut) throw new EventStoreUnavailable(`no answer to a read within ${deadlineMs} ms`, { cause: undefined });
  } finally {
    clearTimeout(deadline);
    await cancel(read);
  }
}

/**
 * A read whose call never started (no channel) has nothing to cancel, and its own error is the one
 * the caller must see, so a failure to cancel is not allowed to replace it.
 */
async function cancel(read: StreamingRead<unknown>): Promise<void> {
  await read.cancel().catch(() => undefined);
}
