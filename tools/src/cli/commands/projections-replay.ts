import { ProjectionHandlerFailed, qualify, replayIntoSchema, untilOf, type Until, type WorkerOutcome } from '@mpp/projection-runner';
import { ValidationFailed, parseClockCut, type ClockCut } from '@mpp/domain';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { findProjection, flag, onePositional, optionalString, requiredString } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { loadProjectionFile } from '../projection-file.js';
import { formatDuration, startProgress } from '../progress-bar.js';
import { checkScratchSchemaName, prepareScratchSchema } from '../scratch-schema.js';

/** A built-in projection by name, or a projection module from outside the repo, loaded at run time (`--file`). */
export type ReplayOptions = ReplaySettings & ({ name: string; file?: undefined } | { file: string; name?: undefined });

interface ReplaySettings {
  schema: string;
  /** Omitted: everything up to the head of the log when the replay catches up. */
  until?: Until;
  /** Replace the scratch schema of an earlier replay. */
  drop: boolean;
  batchSize?: number;
}

/**
 * "As of": the projection's own handlers, run by the projector's worker from position 0 into a
 * scratch schema, stopping before the first event past the position or commit time. A generation
 * in state `replay` holds its checkpoint; the serving tables and views are never touched.
 */
export async function replayProjection(context: CliContext, options: ReplayOptions): Promise<number> {
  const projection = options.file !== undefined ? (await loadProjectionFile(options.file)).projection : findProjection(context.projections, options.name);
  // A reactor's effects (queued mails) land outside any schema: replaying one would send the past again.
  if (projection.kind === 'reactor') throw new CliUsageError(`${projection.name} is a reactor: it has no tables to replay, and replaying it would repeat its effects`);
  const schema = checkScratchSchemaName(options.schema);
  await prepareScratchSchema(context.knex, schema, options.drop);

  const head = await context.store.headPosition();
  const until = options.until;
  const total = until?.position !== undefined && until.position < head ? until.position : head;
  writeLine(context.err, `replaying ${projection.name} v${projection.version} into schema ${schema} ${describeUntil(until)} (head ${head})`);
  const progress = startProgress(context.err, { label: `replay ${projection.name}`, unit: 'events' });
  const started = Date.now();
  let position = 0n;
  let eventsApplied = 0;
  let parked = 0;
  let outcome: WorkerOutcome;
  let perSecond = 0;
  try {
    ({ outcome } = await replayIntoSchema({
      knex: context.knex,
      store: context.store,
      projection,
      schema,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(until ? { until } : {}),
      signal: context.signal,
      onProgress: (p) => {
        ({ position, eventsApplied, parked } = p);
        perSecond = p.eventsPerSecond;
        progress.update(Number(p.position), Number(total), p.eventsPerSecond);
      },
    }));
    // With --until a time, the range ends before the head the bar was measured against.
    if (outcome !== 'aborted') progress.finish(Number(position), perSecond);
  } catch (error) {
    if (!(error instanceof ProjectionHandlerFailed)) throw error;
    progress.stop();
    // The `stop` policy: the replay ends where the live projection would have stopped too.
    writeLine(context.out, `${error.message}\nschema ${schema} holds the replay up to position ${position}; fix the cause and replay again with --drop`);
    return EXIT.failed;
  } finally {
    progress.stop();
  }

  const out = (line: string) => writeLine(context.out, line);
  if (outcome === 'aborted') {
    out(`interrupted at position ${position}: schema ${schema} holds a partial replay (replay again with --drop)`);
    return EXIT.interrupted;
  }
  out(`replayed ${eventsApplied} events of ${projection.name} into ${schema} up to position ${position} ` +
    `(${outcome === 'until_reached' ? 'stopped at the --until / --recorded-until limit' : 'caught up with the log'}, ${formatDuration(Date.now() - started)})`);
  if (parked > 0) out(`${parked} events were parked: mpp projections status ${projection.name} lists them`);
  out(`tables: ${projection.tables.map((table) => qualify(schema, table)).join(', ')}`);
  out(`e.g.  SELECT * FROM ${qualify(schema, projection.tables[0] ?? 'a_table')} LIMIT 20;`);
  return EXIT.ok;
}

function describeUntil(until: Until | undefined): string {
  const limits = [
    until?.position !== undefined ? `up to position ${until.position}` : undefined,
    until?.recordedAt ? `up to events recorded at or before ${until.recordedAt.toISOString()}` : undefined,
    until?.occurredAt ? `with the events that happened at or before ${until.occurredAt.toISOString()}` : undefined,
  ].filter(Boolean);
  return limits.length > 0 ? limits.join(', ') : 'up to the head of the log';
}

/**
 * The two clocks, parsed as the API parses asOf and recordedAsOf: `--until` is when it happened,
 * `--recorded-until` when the store recorded it; either is a position or an ISO instant with an offset.
 */
export function parseUntil(raw: { until?: string; recordedUntil?: string }): Until | undefined {
  const happened = raw.until === undefined ? undefined : cliClockCut(raw.until, '--until');
  const recorded = raw.recordedUntil === undefined ? undefined : cliClockCut(raw.recordedUntil, '--recorded-until');
  return untilOf(happened, recorded);
}

function cliClockCut(raw: string, option: string): ClockCut {
  try {
    return parseClockCut(raw, option);
  } catch (error) {
    if (error instanceof ValidationFailed) throw new CliUsageError(error.message);
    throw error;
  }
}

export const projectionsReplayCommand: CliCommand<ReplayOptions> = {
  words: ['projections', 'replay'],
  usage: `mpp projections replay <name> --schema <scratch> [--until <position | ISO>] [--recorded-until <position | ISO>] [--drop]
mpp projections replay --file <module> --schema <scratch> [--until ...] [--recorded-until ...] [--drop]
  Replays the projection from position 0 into a scratch schema (its tables created there), as of a
  position or a time on either clock (the API's asOf and recordedAsOf); the serving tables are never
  touched. Query it as <scratch>.<table>.
  --file PATH                 a projection module (.ts or .js) from anywhere, instead of a built-in <name>:
                              it exports one defineProjection(...) from @mpp/projection-runner (docs/analysts.md)
  --schema NAME               scratch schema: lower-case [a-z0-9_]; not public, pg_*, or a projection's rm_*
  --until POSITION            stop after this global position (inclusive)
  --until ISO                 as it stood when things happened: only the events whose occurredAt is at
                              or before this instant (an offset is required: 2026-03-01T12:00:00Z)
  --recorded-until POSITION   the same as --until POSITION
  --recorded-until ISO        as the store had recorded it: stop before the first event committed after
                              this instant
                              (neither: up to the head of the log; both: both limits apply)
  --drop                      replace the scratch schema of an earlier replay (never drops anything else)`,
  options: { schema: { type: 'string' }, until: { type: 'string' }, 'recorded-until': { type: 'string' }, drop: { type: 'boolean' }, file: { type: 'string' } },
  parse: (args, projections) => {
    const until = parseUntil({ until: optionalString(args, 'until'), recordedUntil: optionalString(args, 'recorded-until') });
    const file = optionalString(args, 'file');
    if (file !== undefined && args.positionals.length > 0) throw new CliUsageError('give a projection <name> or --file, not both');
    const settings: ReplaySettings = {
      schema: checkScratchSchemaName(requiredString(args, 'schema')),
      ...(until === undefined ? {} : { until }),
      drop: flag(args, 'drop'),
    };
    return file === undefined ? { ...settings, name: findProjection(projections, onePositional(args, 'name')).name } : { ...settings, file };
  },
  run: replayProjection,
};
