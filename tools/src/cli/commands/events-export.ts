import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { DOMAIN_EVENT_TYPES, STREAM_KINDS, streamKindOf } from '@mpp/domain';
import { StreamNotFound } from '@mpp/event-store';
import { EXPORT_FORMATS, dateToMicros, exportEventLog, isoToMicros, type EventExportOptions, type EventExportResult, type ExportFormat, type Micros } from '@mpp/event-store/export';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { noPositionals, optionalString, parseInstant, parsePosition, stringList, type ParsedArgs } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { startProgress } from '../progress-bar.js';

export interface ExportOptions extends EventExportOptions {
  /** A file instead of stdout (`npm run` prints its banner on stdout). */
  output?: string;
}

/** `mpp events export`: @mpp/event-store's export to stdout or a file, with a progress bar on a terminal. */
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

async function exportEventsTo(out: NodeJS.WritableStream, context: CliContext, options: ExportOptions): Promise<number> {
  const showProgress = context.err.isTTY === true && options.stream === undefined;
  const progress = showProgress ? startProgress(context.err, { label: 'export', unit: 'positions' }) : undefined;
  const rate = new RateOverRun();
  let result: EventExportResult;
  try {
    result = await exportEventLog(out, { store: context.store, knex: context.eventStoreKind === 'postgres' ? context.knex : undefined }, options, {
      signal: context.signal,
      onPage: ({ reached, first, last, scanned }) => progress?.update(Number(reached - first), Number(last - first), rate.perSecond(scanned)),
    });
    // The requested range is done even when its last positions held no event of the filter.
    if (!result.interrupted) progress?.finish(Number(result.last - result.first), rate.perSecond(result.scanned));
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    writeLine(context.err, `no stream named ${options.stream}: it has no events (stream names are <kind>-<id>, kinds ${STREAM_KINDS.join(', ')}; mpp events export --stream-prefix <kind>- lists them)`);
    return EXIT.failed;
  } finally {
    progress?.stop();
  }
  writeLine(context.err, `exported ${result.exported} of ${result.scanned} events read${result.interrupted ? ' (interrupted)' : ''}`);
  return result.interrupted ? EXIT.interrupted : EXIT.ok;
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
