import { isFitmentStream, verifyChain, type ChainBreak } from '@mpp/domain';
import { StreamNotFound, type RecordedEvent } from '@mpp/event-store';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { flag, noPositionals, optionalString } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { fitmentStreamsInEventsTable, fitmentStreamsInLog, type FitmentStreamSource } from '../fitment-streams.js';
import { startProgress } from '../progress-bar.js';
import { renderTable } from '../text-table.js';

export interface AuditOptions {
  /** One fitment stream; omitted: every fitment stream in the store. */
  stream?: string;
  json: boolean;
}

export interface BrokenLink {
  stream: string;
  revision: number;
  eventId: string;
  reason: ChainBreak;
}

export interface AuditReport {
  streams: number;
  events: number;
  broken: BrokenLink[];
}

/**
 * Re-verifies the hash chain of fitment streams from the event store itself (not from the
 * verification_log read model, which a tampered log would have fed): the first broken link of each
 * broken stream is reported and the exit code is 1 if there is any.
 */
export async function auditVerify(context: CliContext, options: AuditOptions): Promise<number> {
  const report: AuditReport = { streams: 0, events: 0, broken: [] };
  const source: FitmentStreamSource = options.stream !== undefined
    ? { count: async () => 1, streams: async function* () { yield options.stream!; } }
    : context.eventStoreKind === 'postgres' ? fitmentStreamsInEventsTable(context.knex) : fitmentStreamsInLog(context.store);
  const total = await source.count();
  const progress = total !== undefined && total > 1 ? startProgress(context.err, { label: 'audit', unit: 'streams' }) : undefined;
  const started = Date.now();
  try {
    for await (const stream of source.streams()) {
      if (context.signal.aborted) break;
      const events = await readWholeStream(context, stream);
      if (events === undefined) {
        writeLine(context.err, `stream ${stream} has no events`);
        return EXIT.failed;
      }
      const verification = verifyChain(events);
      report.streams += 1;
      report.events += events.length;
      if (!verification.valid) report.broken.push({ stream, ...verification.brokenAt });
      progress?.update(report.streams, total ?? report.streams, Math.round((report.streams * 1000) / Math.max(Date.now() - started, 1)));
    }
  } finally {
    progress?.stop();
  }

  if (options.json) writeLine(context.out, JSON.stringify(report, null, 2));
  else printReport(context, report);
  if (context.signal.aborted) return EXIT.interrupted;
  return report.broken.length > 0 ? EXIT.failed : EXIT.ok;
}

/** One pair's stream: its verifications and official fitment, small enough to hold. */
async function readWholeStream(context: CliContext, stream: string): Promise<RecordedEvent[] | undefined> {
  const events: RecordedEvent[] = [];
  try {
    for await (const event of context.store.readStream(stream)) events.push(event);
  } catch (error) {
    if (error instanceof StreamNotFound) return undefined;
    throw error;
  }
  return events;
}

function printReport(context: CliContext, report: AuditReport): void {
  const out = (line: string) => writeLine(context.out, line);
  if (report.broken.length === 0) {
    out(`verified ${report.streams} fitment streams (${report.events} events): every hash chain is intact`);
    return;
  }
  out(`verified ${report.streams} fitment streams (${report.events} events): ${report.broken.length} broken`);
  out(renderTable(['STREAM', 'REVISION', 'EVENT ID', 'REASON'], report.broken.map((b) => [b.stream, String(b.revision), b.eventId, b.reason])));
}

export const auditVerifyCommand: CliCommand<AuditOptions> = {
  words: ['audit', 'verify'],
  usage: `mpp audit verify [--stream S] [--json]
  Verifies the hash chain of every fitment stream (or one) from the event store and prints each
  broken link (stream, revision, event id, reason: hash_mismatch | prev_hash_mismatch |
  revision_gap). Exit code 1 when any chain is broken.
  --stream S   only this fitment stream (fitment-<partId>_<bikeId>)
  --json       { streams, events, broken: [...] }`,
  options: { stream: { type: 'string' }, json: { type: 'boolean' } },
  parse: (args) => {
    noPositionals(args);
    const stream = optionalString(args, 'stream');
    if (stream !== undefined && !isFitmentStream(stream)) throw new CliUsageError(`--stream ${stream} is not a fitment stream (fitment-<partId>_<bikeId>)`);
    return { stream, json: flag(args, 'json') };
  },
  run: auditVerify,
};
