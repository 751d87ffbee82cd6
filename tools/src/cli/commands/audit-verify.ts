import { StreamHeadTree, headDifferences, isFitmentStream, verifyChain, verifyCheckpointSignature, type ChainBreak, type HeadDifference } from '@mpp/domain';
import { StreamNotFound, type RecordedEvent } from '@mpp/event-store';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { flag, noPositionals, optionalString } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { publicKeyFor, readCheckpointFile, treeAt } from '../audit-files.js';
import { fitmentStreamsInEventsTable, fitmentStreamsInLog, type FitmentStreamSource } from '../fitment-streams.js';
import { startProgress } from '../progress-bar.js';
import { renderTable } from '../text-table.js';

export interface AuditOptions {
  /** One fitment stream; omitted: every fitment stream in the store. */
  stream?: string;
  json: boolean;
  /** A checkpoint file (witness or API answer) whose heads the log must still have. */
  againstCheckpoint?: string;
  publicKeyFile?: string;
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
  checkpoint?: CheckpointCheck;
}

export interface CheckpointCheck {
  position: string;
  signatureValid: boolean;
  /** The heads the log has at the checkpoint's position give its signed root. */
  rootMatches: boolean;
  /** Only when the file lists the heads: the streams whose head is not the published one. */
  differences: HeadDifference[];
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

  if (options.againstCheckpoint !== undefined && !context.signal.aborted) report.checkpoint = await checkAgainst(context, options.againstCheckpoint, options);

  if (options.json) writeLine(context.out, JSON.stringify(report, null, 2));
  else printReport(context, report);
  if (context.signal.aborted) return EXIT.interrupted;
  const checkpointFailed = report.checkpoint !== undefined && !(report.checkpoint.signatureValid && report.checkpoint.rootMatches && report.checkpoint.differences.length === 0);
  return report.broken.length > 0 || checkpointFailed ? EXIT.failed : EXIT.ok;
}

/**
 * A chain re-hashed consistently from an edited event onward verifies on its own; only a head
 * published outside the database shows it. With the heads in the file the stream is named.
 */
async function checkAgainst(context: CliContext, path: string, options: AuditOptions): Promise<CheckpointCheck> {
  const file = await readCheckpointFile(path);
  const signatureValid = verifyCheckpointSignature(file, await publicKeyFor(options));
  const now = await treeAt(context.store, BigInt(file.checkpoint.position), context.signal);
  const differences = file.heads ? headDifferences(file.heads, now.heads) : [];
  if (file.heads && new StreamHeadTree(file.heads).rootHex !== file.checkpoint.root) {
    throw new CliUsageError(`${path}: its heads do not give its signed root, so they cannot name anything`);
  }
  return { position: file.checkpoint.position, signatureValid, rootMatches: now.rootHex === file.checkpoint.root, differences };
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
  } else {
    out(`verified ${report.streams} fitment streams (${report.events} events): ${report.broken.length} broken`);
    out(renderTable(['STREAM', 'REVISION', 'EVENT ID', 'REASON'], report.broken.map((b) => [b.stream, String(b.revision), b.eventId, b.reason])));
  }
  const checkpoint = report.checkpoint;
  if (!checkpoint) return;
  const at = `checkpoint at position ${checkpoint.position}`;
  if (!checkpoint.signatureValid) out(`${at}: the signature does not verify with this public key`);
  if (checkpoint.differences.length > 0) {
    out(`${at}: ${checkpoint.differences.length} streams differ from the published heads; first bad stream ${checkpoint.differences[0]!.stream}`);
    out(renderTable(['STREAM', 'REASON'], checkpoint.differences.map((d) => [d.stream, d.reason])));
  } else if (!checkpoint.rootMatches) {
    out(`${at}: the log's heads no longer give the signed root (this file lists no heads, so the stream cannot be named; use a witness file)`);
  } else if (checkpoint.signatureValid) {
    out(`${at}: signature valid, every head is the published one`);
  }
}

export const auditVerifyCommand: CliCommand<AuditOptions> = {
  words: ['audit', 'verify'],
  usage: `mpp audit verify [--stream S] [--against-checkpoint FILE [--public-key PEM]] [--json]
  Verifies the hash chain of every fitment stream (or one) from the event store and prints each
  broken link (stream, revision, event id, reason: hash_mismatch | prev_hash_mismatch |
  revision_gap | unknown_hash_version | hash_version_downgrade). Exit code 1 when any chain is broken.
  --stream S                 only this fitment stream (fitment-<partId>_<bikeId>)
  --against-checkpoint FILE  also check the signed checkpoint in FILE (a witness file or the JSON of
                             GET /api/audit/checkpoints/latest): its signature, and that every fitment
                             stream's head at its position is still the published one (a witness file
                             lists the heads, so a rewritten chain is named)
  --public-key PEM           the SPKI PEM (or the JSON of GET /api/audit/public-key); default: the
                             public half of AUDIT_SIGNING_KEY
  --json                     { streams, events, broken: [...], checkpoint? }`,
  options: { stream: { type: 'string' }, json: { type: 'boolean' }, 'against-checkpoint': { type: 'string' }, 'public-key': { type: 'string' } },
  parse: (args) => {
    noPositionals(args);
    const stream = optionalString(args, 'stream');
    if (stream !== undefined && !isFitmentStream(stream)) throw new CliUsageError(`--stream ${stream} is not a fitment stream (fitment-<partId>_<bikeId>)`);
    return { stream, json: flag(args, 'json'), againstCheckpoint: optionalString(args, 'against-checkpoint'), publicKeyFile: optionalString(args, 'public-key') };
  },
  run: auditVerify,
};
