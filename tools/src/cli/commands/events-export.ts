import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { StreamNotFound, readAllInPages, toExportedEvent, type RecordedEvent } from '@mpp/event-store';

export type { ExportedEvent } from '@mpp/event-store';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { noPositionals, optionalString, parseInstant, parsePosition, stringList, type ParsedArgs } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { writeNdjsonLine } from '../ndjson-writer.js';
import { startProgress } from '../progress-bar.js';

export interface ExportOptions {
  /** Event types to keep; empty keeps all. */
  types: string[];
  stream?: string;
  streamPrefix?: string;
  /** Commit time (createdAt), inclusive at both ends. */
  from?: Date;
  to?: Date;
  /** Global positions, inclusive at both ends. */
  fromPosition?: bigint;
  toPosition?: bigint;
  /** Events per readAll call. */
  pageSize?: number;
  /** A file instead of stdout (`npm run` prints its banner on stdout). */
  output?: string;
}

/**
 * Streams the log (or one stream) as NDJSON to stdout. The log is read in pages up to the head as it
 * was when the export started, so the file is a definite snapshot even while events keep arriving.
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

async function exportEventsTo(out: NodeJS.WritableStream, context: CliContext, options: ExportOptions): Promise<number> {
  const keep = eventFilter(options);
  const head = await context.store.headPosition();
  const last = options.toPosition !== undefined && options.toPosition < head ? options.toPosition : head;
  const showProgress = context.err.isTTY === true && options.stream === undefined;
  const progress = showProgress ? startProgress(context.err, { label: 'export', unit: 'positions' }) : undefined;
  const rate = new RateOverRun();
  let scanned = 0;
  let exported = 0;
  try {
    const source = options.stream !== undefined
      ? context.store.readStream(options.stream)
      : readAllInPages(context.store, { from: options.fromPosition, last, pageSize: options.pageSize ?? 1_000 });
    for await (const event of source) {
      if (context.signal.aborted) break;
      if (event.position > last) break;
      scanned += 1;
      if (keep(event)) {
        await writeNdjsonLine(out, toExportedEvent(event));
        exported += 1;
      }
      if (progress && scanned % 500 === 0) progress.update(Number(event.position), Number(last), rate.perSecond(scanned));
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    writeLine(context.err, `stream ${options.stream} has no events`);
    return EXIT.failed;
  } finally {
    progress?.stop();
  }
  writeLine(context.err, `exported ${exported} of ${scanned} events read${context.signal.aborted ? ' (interrupted)' : ''}`);
  return context.signal.aborted ? EXIT.interrupted : EXIT.ok;
}

export function eventFilter(options: ExportOptions): (event: RecordedEvent) => boolean {
  const types = new Set(options.types);
  return (event) =>
    (types.size === 0 || types.has(event.type)) &&
    (options.stream === undefined || event.streamId === options.stream) &&
    (options.streamPrefix === undefined || event.streamId.startsWith(options.streamPrefix)) &&
    (options.fromPosition === undefined || event.position >= options.fromPosition) &&
    (options.toPosition === undefined || event.position <= options.toPosition) &&
    (options.from === undefined || event.createdAt >= options.from) &&
    (options.to === undefined || event.createdAt <= options.to);
}

class RateOverRun {
  private readonly started = Date.now();
  perSecond(count: number): number {
    return Math.round((count * 1000) / Math.max(Date.now() - this.started, 1));
  }
}

function parseExportOptions(args: ParsedArgs): ExportOptions {
  noPositionals(args);
  const stream = optionalString(args, 'stream');
  const streamPrefix = optionalString(args, 'stream-prefix');
  if (stream !== undefined && streamPrefix !== undefined) throw new CliUsageError('--stream and --stream-prefix exclude each other');
  const instant = (name: string) => {
    const raw = optionalString(args, name);
    return raw === undefined ? undefined : parseInstant(raw, `--${name}`);
  };
  const position = (name: string) => {
    const raw = optionalString(args, name);
    return raw === undefined ? undefined : parsePosition(raw, `--${name}`);
  };
  const options: ExportOptions = {
    types: stringList(args, 'type'),
    stream,
    streamPrefix,
    from: instant('from'),
    to: instant('to'),
    fromPosition: position('from-position'),
    toPosition: position('to-position'),
    output: optionalString(args, 'output'),
  };
  if (options.from && options.to && options.from > options.to) throw new CliUsageError('--from is after --to');
  if (options.fromPosition !== undefined && options.toPosition !== undefined && options.fromPosition > options.toPosition) {
    throw new CliUsageError('--from-position is after --to-position');
  }
  return options;
}

export const eventsExportCommand: CliCommand<ExportOptions> = {
  words: ['events', 'export'],
  usage: `mpp events export [--type T ...] [--stream S | --stream-prefix P] [--from ISO] [--to ISO]
                  [--from-position N] [--to-position N]  > events.ndjson
  Writes events as NDJSON to stdout, one per line: position, streamId, revision, eventId, type, data,
  metadata, createdAt (positions and revisions as strings). All filters combine (AND).
  --type T            keep this event type; repeat it or separate with commas for several
  --stream S          only this stream (read directly, not by scanning the log)
  --stream-prefix P   only streams starting with P, e.g. fitment- or price-<partId>_
  --from/--to ISO     commit time (createdAt) between these instants, both inclusive
  --from-position N / --to-position N   global positions, both inclusive
  --output FILE       write to FILE instead of stdout (use it with \`npm run\`, which prints a banner on stdout)
  A progress bar goes to stderr when it is a terminal; stdout carries only the events.`,
  options: {
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
