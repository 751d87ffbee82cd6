import type { RecordedEvent } from '@mpp/event-store';

const NOTHING_READY = Symbol('nothing-ready');

/**
 * Groups a (catch-up, then live) event stream into batches: a batch closes when it is full or when
 * no further event is ready right now. Catching up therefore gives full batches, and the live tail
 * gives small ones without waiting on a timer. `idle` is yielded when the source has nothing ready,
 * so the consumer can notice it has caught up.
 */
export async function* eventBatches(
  source: AsyncIterable<RecordedEvent>,
  /** Most events per batch: a number, or asked before each batch (a worker in bulk mode takes more). */
  maxBatchSize: number | (() => number),
  /** Ends the source (aborts its subscription); called first when the consumer stops early. */
  endSource: () => void,
): AsyncGenerator<RecordedEvent[] | 'idle'> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  try {
    while (true) {
      pending ??= iterator.next();
      let first = await Promise.race([pending, nextTick()]);
      if (first === NOTHING_READY) {
        yield 'idle';
        first = await pending;
      }
      pending = undefined;
      if (first.done) return;
      const batch = [first.value];
      const max = typeof maxBatchSize === 'number' ? maxBatchSize : maxBatchSize();
      while (batch.length < max) {
        pending = iterator.next();
        const next = await Promise.race([pending, nextTick()]);
        if (next === NOTHING_READY) break;
        pending = undefined;
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
      }
      yield batch;
    }
  } finally {
    // A read may still be pending on the source; its return() would queue behind it forever
    // unless the source is ended first.
    endSource();
    await pending?.catch((error: unknown) => (error instanceof Error && error.name === 'AbortError' ? undefined : Promise.reject(error)));
    await iterator.return?.();
  }
}

function nextTick(): Promise<typeof NOTHING_READY> {
  return new Promise((resolve) => setImmediate(() => resolve(NOTHING_READY)));
}
