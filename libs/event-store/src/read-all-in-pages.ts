import type { EventStore, ReadAllOptions, RecordedEvent } from './event-store.port.js';

export interface PagedRead {
  /** Inclusive first position; omitted: from the beginning. */
  from?: bigint;
  /** Inclusive last position: a snapshot read stops here even while events keep arriving. */
  last: bigint;
  pageSize?: number;
}

/**
 * The global log from `from` to `last`, one `readAll` page at a time, so memory holds one page.
 * `from` is inclusive: the first page asks for the event at it (`includeFromPosition`), later pages
 * start after the last event read. Never `from - 1`: on EventStoreDB a position is a byte offset in
 * its log, and a read must start where a record starts.
 */
export async function* readAllInPages(store: EventStore, { from, last, pageSize = 1_000 }: PagedRead): AsyncGenerator<RecordedEvent> {
  let start: ReadAllOptions = from !== undefined && from > 0n ? { fromPosition: from, includeFromPosition: true } : {};
  while (true) {
    let read = 0;
    let after: bigint | undefined;
    for await (const event of store.readAll({ ...start, maxCount: pageSize })) {
      if (event.position > last) return;
      read += 1;
      after = event.position;
      yield event;
    }
    if (read < pageSize || after === undefined || after >= last) return;
    start = { fromPosition: after };
  }
}
