import type { Knex } from 'knex';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { readAllInPages } from '../read-all-in-pages.js';
import { commitTimesOf } from './commit-times.js';
import { csvSink } from './csv-sink.js';
import { exportColumnsFor, type ExportRow } from './export-columns.js';
import type { ExportSink } from './export-sink.js';
import type { Micros } from './instants.js';
import { ndjsonSink } from './ndjson-sink.js';
import { parquetSink } from './parquet-sink.js';

export const EXPORT_FORMATS = ['ndjson', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface EventExportOptions {
  /** Event types to keep; empty keeps all. */
  types: string[];
  stream?: string;
  streamPrefix?: string;
  /** Commit time (createdAt), inclusive at both ends, to the microsecond. */
  from?: Micros;
  to?: Micros;
  /** Global positions, inclusive at both ends. */
  fromPosition?: bigint;
  toPosition?: bigint;
  /** Default ndjson. */
  format?: ExportFormat;
  /** Events per readAll call. */
  pageSize?: number;
}

export interface EventExportSource {
  store: EventStore;
  /** The PostgreSQL store's database: commit times to the microsecond from its `events` table. */
  knex?: Knex;
}

export interface EventExportRun {
  signal?: AbortSignal;
  /** After each page: the position reached within `first`..`last`, and the events read so far. */
  onPage?(progress: { reached: bigint; first: bigint; last: bigint; scanned: number }): void;
}

export interface EventExportResult {
  scanned: number;
  exported: number;
  first: bigint;
  last: bigint;
  /** The signal stopped it at a page boundary; what was written is a valid file of fewer rows. */
  interrupted: boolean;
}

/**
 * Writes the log (or one stream) as NDJSON, CSV or Parquet. The log is read in pages up to the head
 * as it was when the export started, so the output is a definite snapshot even while events keep
 * arriving. A stream that does not exist throws the store's StreamNotFound.
 */
export async function exportEventLog(out: NodeJS.WritableStream, source: EventExportSource, options: EventExportOptions, run: EventExportRun = {}): Promise<EventExportResult> {
  const keep = eventFilter(options);
  const head = await source.store.headPosition();
  const last = options.toPosition !== undefined && options.toPosition < head ? options.toPosition : head;
  const first = options.fromPosition ?? 0n;
  const sink = sinkFor(out, options);
  const aborted = () => run.signal?.aborted === true;
  let scanned = 0;
  let exported = 0;
  const events = options.stream !== undefined
    ? source.store.readStream(options.stream)
    : readAllInPages(source.store, { from: options.fromPosition, last, pageSize: options.pageSize ?? 1_000 });
  for await (const page of pagesOf(events, options.pageSize ?? 1_000)) {
    if (aborted()) break;
    const inRange = page.filter((event) => event.position <= last);
    scanned += inRange.length;
    const times = await commitTimesOf(source.knex, inRange);
    const rows: ExportRow[] = inRange.map((event, i) => ({ event, recordedAt: times[i]! })).filter(keep);
    await sink.write(rows);
    exported += rows.length;
    const reached = inRange.at(-1)?.position;
    if (reached !== undefined) run.onPage?.({ reached, first, last, scanned });
    if (inRange.length < page.length) break;
  }
  await sink.end();
  return { scanned, exported, first, last, interrupted: aborted() };
}

function sinkFor(out: NodeJS.WritableStream, options: EventExportOptions): ExportSink {
  switch (options.format ?? 'ndjson') {
    case 'ndjson':
      return ndjsonSink(out);
    case 'csv':
      return csvSink(out, exportColumnsFor(options.types));
    case 'parquet':
      return parquetSink(out, exportColumnsFor(options.types));
  }
}

async function* pagesOf(events: AsyncIterable<RecordedEvent>, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  let page: RecordedEvent[] = [];
  for await (const event of events) {
    page.push(event);
    if (page.length === pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

function eventFilter(options: EventExportOptions): (row: ExportRow) => boolean {
  const types = new Set(options.types);
  const { from, to } = options;
  return ({ event, recordedAt }) =>
    (types.size === 0 || types.has(event.type)) &&
    (options.stream === undefined || event.streamId === options.stream) &&
    (options.streamPrefix === undefined || event.streamId.startsWith(options.streamPrefix)) &&
    (options.fromPosition === undefined || event.position >= options.fromPosition) &&
    (options.toPosition === undefined || event.position <= options.toPosition) &&
    inTimeRange(recordedAt, from, to);
}

function inTimeRange(at: Micros, from: Micros | undefined, to: Micros | undefined): boolean {
  return (from === undefined || at >= from) && (to === undefined || at <= to);
}
