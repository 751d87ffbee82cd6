import { StreamHeadTree, headDifferences, isFitmentStream, verifyCheckpointSignature, type HeadDifference } from '@mpp/domain';
import { StreamNotFound, verifyFitmentChains, type ChainsReport } from '@mpp/event-store';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { flag, noPositionals, optionalString } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { publicKeyFor, readCheckpointFile, treeAt } from '../audit-files.js';
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

export interface AuditReport extends ChainsReport {
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
 * @mpp/event-store's re-verification of the fitment hash chains, with a progress bar, a table or
 * JSON, and an optional checkpoint file: the first broken link of each broken stream is reported and
 * the exit code is 1 if there is any.
 */
export async function auditVerify(context: CliContext, options: AuditOptions): Promise<number> {
  let progress: ReturnType<typeof startProgress> | undefined;
  const started = Date.now();
  let report: AuditReport;
  try {
    report = await verifyFitmentChains(
      { store: context.store, knex: context.eventStoreKind === 'postgres' ? context.knex : undefined, stream: options.stream },
      {
        signal: context.signal,
        onStart: (total) => {
          if (total !== undefined && total > 1) progress = startProgress(context.err, { label: 'audit', unit: 'streams' });
        },
        onStream: ({ streams }, total) => progress?.update(streams, total ?? streams, Math.round((streams * 1000) / Math.max(Date.now() - started, 1))),
      },
    );
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    writeLine(context.err, error.message);
    return EXIT.failed;
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
