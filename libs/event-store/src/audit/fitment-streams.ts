import type { Knex } from 'knex';
import { isFitmentStream } from '@mpp/domain';
import type { EventStore } from '../event-store.port.js';
import { STARTS_AN_APPEND } from '../postgres/schema.js';

export interface FitmentStreamSource {
  /** How many there are, for the progress bar; undefined when only a full scan could tell. */
  count(): Promise<number | undefined>;
  streams(): AsyncIterable<string>;
}

const PAGE = 1_000;

/**
 * PostgreSQL: the adapter's `events` table answers directly. Distinct stream ids by keyset pages
 * over the stream index, which holds each append's first event (migration 0036; an index-only scan
 * from `fitment-` on, see docs/analysts.md), so memory holds one page, whatever the log's size.
 * DISTINCT rather than `revision = 0`: a chain whose first event was deleted must still be found.
 */
export function fitmentStreamsInEventsTable(knex: Knex): FitmentStreamSource {
  return {
    async count() {
      const row: { count: number | string } | undefined = await knex('events')
        .where('stream_id', 'like', 'fitment-%')
        .whereRaw(STARTS_AN_APPEND)
        .countDistinct<{ count: number | string }>('stream_id as count')
        .first();
      return Number(row?.count ?? 0);
    },
    async *streams() {
      let after = '';
      while (true) {
        const rows: { stream_id: string }[] = await knex('events')
          .distinct('stream_id')
          .where('stream_id', 'like', 'fitment-%')
          // LIKE only becomes an index range under the "C" collation; the bound makes it one anyway.
          .andWhere('stream_id', '>=', 'fitment-')
          .andWhere('stream_id', '>', after)
          .whereRaw(STARTS_AN_APPEND)
          .orderBy('stream_id')
          .limit(PAGE);
        for (const row of rows) if (isFitmentStream(row.stream_id)) yield row.stream_id;
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1].stream_id;
      }
    },
  };
}

/**
 * Any store, through the port: one pass over the global log collecting fitment stream ids (memory
 * grows with the number of pairs, not events). On EventStoreDB the cheaper path would be the
 * `$ce-fitment` category stream of its by-category system projection, which the port does not expose.
 */
export function fitmentStreamsInLog(store: EventStore): FitmentStreamSource {
  return {
    count: async () => undefined,
    async *streams() {
      const seen = new Set<string>();
      for await (const event of store.readAll()) {
        if (seen.has(event.streamId) || !isFitmentStream(event.streamId)) continue;
        seen.add(event.streamId);
        yield event.streamId;
      }
    },
  };
}
