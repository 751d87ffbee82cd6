import type { EventStore, RecordedEvent } from './event-store.port.js';

export interface PagedRead {
  /** Inclusive first position; omitted: from the beginning. */
  from?: bigint;
  /** Inclusive last position: a snapshot read stops here even while events keep arriving. */
  last: bigint;
  pageSize?: number;
}

/** The global log from `from` to `last`, one `readAll` page at a time, so memory holds one page. */
export async function* readAllInPages(store: EventStore, { from, last, pageSize = 1_000 }: PagedRead): AsyncGenerator<RecordedEvent> {
  // readAll's fromPosition is exclusive, hence the minus one.
  let after = from !== undefined && from > 0n ? from - 1n : 0n;
  while (after < last) {
    let read = 0;
    for await (const event of store.readAll({ ...(after > 0n ? { fromPosition: after } : {}), maxCount: pageSize })) {
      if (event.position > last) return;
      read += 1;
      after = event.position;
      yield event;
    }
    if (read < pageSize) return;
  }
}
