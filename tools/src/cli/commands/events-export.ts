import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { DOMAIN_EVENT_TYPES, STREAM_KINDS, streamKindOf } from '@mpp/domain';
import { StreamNotFound, readAllInPages, type RecordedEvent } from '@mpp/event-store';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { noPositionals, optionalString, parseInstant, parsePosition, stringList, type ParsedArgs } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { commitTimesOf } from '../export/commit-times.js';
import { csvSink } from '../export/csv-sink.js';
import { exportColumnsFor, type ExportRow } from '../export/export-columns.js';
import type { ExportSink } from '../export/export-sink.js';
import { dateToMicros, isoToMicros, type Micros } from '../export/instants.js';
import { ndjsonSink } from '../export/ndjson-sink.js';
import { parquetSink } from '../export/parquet-sink.js';
import { startProgress } from '../progress-bar.js';

export const EXPORT_FORMATS = ['ndjson', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
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
  /** A file instead of stdout (`npm run` prints its banner on stdout). */
  output?: string;
}

/**
 * Streams the log (or one stream) to stdout or a file as NDJSON, CSV or Parquet. The log is read in
 * pages up to the head as it was when the export started, so the file is a definite snapshot even
 * while events keep arriving.
 */
export async function exportEvents(context: CliContext, options: ExportOptions): Promise<number> {
  if (options.output === undefined) return exportEventsTo(context.out, context, options);
  const file = createWriteStream(options.output);
  // Listening from the start: an unwritable path fails the export instead of crashing the process.
  const closed = finished(file);
  let code: number;
  try {
    code = await Promise.race([exportEventsTo(file, context, options), closed.then(() => EXIT.failed)]);
  } finally {
    file.end();
  }
  await closed;
  return code;
}

function sinkFor(out: NodeJS.WritableStream, options: ExportOptions): ExportSink {
  switch (options.format ?? 'ndjson') {
    case 'ndjson':
      return ndjsonSink(out);
    case 'csv':
      return csvSink(out, exportColumnsFor(options.types));
    case 'parquet':
      return parquetSink(out, exportColumnsFor(options.types));
  }
}

async function exportEventsTo(out: NodeJS.WritableStream, context: CliContext, options: ExportOptions): Promise<number> {
  const keep = eventFilter(options);
  const head = await context.store.headPosition();
  const last = options.toPosition !== undefined && options.toPosition < head ? options.toPosition : head;
  const first = options.fromPosition ?? 0n;
  const showProgress = context.err.isTTY === true && options.stream === undefined;
  const progress = showProgress ? startProgress(context.err, { label: 'export', unit: 'positions' }) : undefined;
  const sink = sinkFor(out, options);
  const knex = context.eventStoreKind === 'postgres' ? context.knex : undefined;
  const rate = new RateOverRun();
  let scanned = 0;
  let exported = 0;
  try {
    const events = options.stream !== undefined
      ? context.store.readStream(options.stream)
      : readAllInPages(context.store, { from: options.fromPosition, last, pageSize: options.pageSize ?? 1_000 });
    const pages = pagesOf(events, options.pageSize ?? 1_000);
    for await (const page of pages) {
      if (context.signal.aborted) break;
      const inRange = page.filter((event) => event.position <= last);
      scanned += inRange.length;
      const times = await commitTimesOf(knex, inRange);
      const rows: ExportRow[] = inRange.map((event, i) => ({ event, recordedAt: times[i]! })).filter(keep);
      await sink.write(rows);
      exported += rows.length;
      const reached = inRange.at(-1)?.position;
      if (progress && reached !== undefined) progress.update(Number(reached - first), Number(last - first), rate.perSecond(scanned));
      if (inRange.length < page.length) break;
    }
    await sink.end();
    // The requested range is done even when its last positions held no event of the filter.
    if (!context.signal.aborted) progress?.finish(Number(last - first), rate.perSecond(scanned));
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    writeLine(context.err, `no stream named ${options.stream}: it has no events (stream names are <kind>-<id>, kinds ${STREAM_KINDS.join(', ')}; mpp events export --stream-prefix <kind>- lists them)`);
    return EXIT.failed;
  } finally {
    progress?.stop();
  }
  writeLine(context.err, `exported ${exported} of ${scanned} events read${context.signal.aborted ? ' (interrupted)' : ''}`);
  return context.signal.aborted ? EXIT.interrupted : EXIT.ok;
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

export function eventFilter(options: ExportOptions): (row: ExportRow) => boolean {
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

class RateOverRun {
  private readonly started = Date.now();
  perSecond(count: number): number {
    return Math.round((count * 1000) / Math.max(Date.now() - this.started, 1));
  }
}

/** A misspelled type or stream kind would export nothing and look like an answer: refused, with the valid ones. */
function checkEventTypes(types: string[]): string[] {
  const unknown = types.filter((type) => !(DOMAIN_EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) {
    throw new CliUsageError(`unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => JSON.stringify(t)).join(', ')}; the event types are ${DOMAIN_EVENT_TYPES.join(', ')}`);
  }
  return types;
}

function checkStream(option: string, value: string | undefined, prefix: boolean): string | undefined {
  if (value === undefined) return undefined;
  const kinds = STREAM_KINDS.map((kind) => `${kind}-`);
  const known = prefix ? kinds.some((kind) => value.startsWith(kind) || kind.startsWith(value)) && value !== '' : streamKindOf(value) !== undefined;
  if (!known) {
    throw new CliUsageError(`${option} ${JSON.stringify(value)} names no stream of ours; streams are ${kinds.map((k) => `${k}<id>`).join(', ')} (fitment- and price- streams: <kind>-<partId>_<otherId>)`);
  }
  return value;
}

function parseFormat(raw: string | undefined): ExportFormat {
  if (raw === undefined) return 'ndjson';
  if (!(EXPORT_FORMATS as readonly string[]).includes(raw)) throw new CliUsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as ExportFormat;
}

function parseExportOptions(args: ParsedArgs): ExportOptions {
  noPositionals(args);
  const stream = checkStream('--stream', optionalString(args, 'stream'), false);
  const streamPrefix = checkStream('--stream-prefix', optionalString(args, 'stream-prefix'), true);
  if (stream !== undefined && streamPrefix !== undefined) throw new CliUsageError('--stream and --stream-prefix exclude each other');
  const instant = (name: string): Micros | undefined => {
    const raw = optionalString(args, name);
    if (raw === undefined) return undefined;
    const parsed = parseInstant(raw, `--${name}`);
    // A bare date is its midnight UTC; an instant keeps the microseconds a Date would cut.
    return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? dateToMicros(parsed) : isoToMicros(raw);
  };
  const position = (name: string) => {
    const raw = optionalString(args, name);
    return raw === undefined ? undefined : parsePosition(raw, `--${name}`);
  };
  const options: ExportOptions = {
    types: checkEventTypes(stringList(args, 'type')),
    stream,
    streamPrefix,
    from: instant('from'),
    to: instant('to'),
    fromPosition: position('from-position'),
    toPosition: position('to-position'),
    format: parseFormat(optionalString(args, 'format')),
    output: optionalString(args, 'output'),
  };
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) throw new CliUsageError('--from is after --to');
  if (options.fromPosition !== undefined && options.toPosition !== undefined && options.fromPosition > options.toPosition) {
    throw new CliUsageError('--from-position is after --to-position');
  }
  return options;
}

export const eventsExportCommand: CliCommand<ExportOptions> = {
  words: ['events', 'export'],
  usage: `mpp events export [--format ndjson|csv|parquet] [--type T ...] [--stream S | --stream-prefix P]
                  [--from ISO] [--to ISO] [--from-position N] [--to-position N] [--output FILE]
  Writes events to stdout (or FILE), in log order. All filters combine (AND).
  --format ndjson     (default) one JSON document per line: position, streamId, revision, eventId, type,
                      data, metadata, createdAt (positions as numbers up to 2^53, commit time to the µs)
  --format csv        a header line, then one row per event (RFC 4180)
  --format parquet    typed columns (INT64 positions, UUID ids, TIMESTAMP µs UTC times)
                      csv and parquet columns: position, stream_id, revision, event_id, type, occurred_at,
                      recorded_at, actor, schema_version, then with one --type its data members as typed
                      columns (as in its analytics view), else data and metadata as JSON
  --type T            keep this event type; repeat it or separate with commas for several
  --stream S          only this stream (read directly, not by scanning the log)
  --stream-prefix P   only streams starting with P, e.g. fitment- or price-<partId>_
  --from/--to ISO     commit time (createdAt) between these instants, both inclusive
  --from-position N / --to-position N   global positions, both inclusive
  --output FILE       write to FILE instead of stdout (use it with \`npm run\`, which prints a banner on stdout)
  Unknown event types and stream kinds are refused with the valid ones. A progress bar goes to
  stderr when it is a terminal; stdout carries only the events.`,
  options: {
    format: { type: 'string' },
    type: { type: 'string', multiple: true },
    stream: { type: 'string' },
    'stream-prefix': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'from-position': { type: 'string' },
    'to-position': { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  parse: parseExportOptions,
  run: exportEvents,
};
