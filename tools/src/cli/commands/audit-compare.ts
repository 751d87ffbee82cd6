import { StreamHeadTree, checkConsistency, verifyChain, verifyCheckpointSignature, type ConsistencyBreak } from '@mpp/domain';
import { StreamNotFound } from '@mpp/event-store';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { flag } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { publicKeyFor, publicKeyOption, readCheckpointFile, type CheckpointFile } from '../audit-files.js';
import { renderTable } from '../text-table.js';

export interface CompareOptions {
  older: string;
  newer: string;
  publicKeyFile?: string;
  json: boolean;
}

type CompareBreak = ConsistencyBreak | { streamId: string; reason: 'chain_broken' };

/**
 * Consistency of two checkpoints: every chain the older one covered must run, unbroken, from its
 * old head to its new one. Otherwise history the older checkpoint vouched for was rewritten.
 */
export async function auditCompare(context: CliContext, options: CompareOptions): Promise<number> {
  const key = await publicKeyFor(options);
  const [older, newer] = await Promise.all([readCheckpointFile(options.older), readCheckpointFile(options.newer)]);
  for (const [path, file] of [[options.older, older], [options.newer, newer]] as const) checkFile(path, file, key);
  if (BigInt(older.checkpoint.position) > BigInt(newer.checkpoint.position)) throw new CliUsageError(`${options.older} is newer than ${options.newer}; give the older one first`);

  const newPosition = BigInt(newer.checkpoint.position);
  const chains = new Map<string, string[]>();
  const broken: CompareBreak[] = [];
  for (const { streamId } of older.heads!) {
    if (context.signal.aborted) return EXIT.interrupted;
    const events = [];
    try {
      for await (const event of context.store.readStream(streamId)) if (event.position <= newPosition) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
      continue;
    }
    if (!verifyChain(events).valid) broken.push({ streamId, reason: 'chain_broken' });
    chains.set(streamId, events.map((e) => String(e.metadata.hash)));
  }
  const breaks = [...broken, ...checkConsistency(older.heads!, newer.heads!, chains)];
  if (options.json) writeLine(context.out, JSON.stringify({ older: older.checkpoint, newer: newer.checkpoint, consistent: breaks.length === 0, breaks }, null, 2));
  else if (breaks.length === 0) writeLine(context.out, `consistent: every one of the ${older.heads!.length} chains at position ${older.checkpoint.position} extends to its head at position ${newer.checkpoint.position}`);
  else writeLine(context.out, `INCONSISTENT: ${breaks.length} streams\n${renderTable(['STREAM', 'REASON'], breaks.map((b) => [b.streamId, b.reason]))}`);
  return breaks.length === 0 ? EXIT.ok : EXIT.failed;
}

function checkFile(path: string, file: CheckpointFile, key: Parameters<typeof verifyCheckpointSignature>[1]): void {
  if (!verifyCheckpointSignature(file, key)) throw new CliUsageError(`${path}: the signature does not verify with this public key`);
  if (!file.heads) throw new CliUsageError(`${path} lists no heads: compare needs witness files (mpp audit checkpoint create --out, or AUDIT_WITNESS_DIR)`);
  if (new StreamHeadTree(file.heads).rootHex !== file.checkpoint.root) throw new CliUsageError(`${path}: its heads do not give its signed root`);
}

export const auditCompareCommand: CliCommand<CompareOptions> = {
  words: ['audit', 'compare'],
  usage: `mpp audit compare <older witness file> <newer witness file> [--public-key PEM] [--json]
  Checks both signatures, then that every chain of the older checkpoint runs unbroken from its old
  head to its new head in the log. Exit code 1 naming each stream that does not.`,
  options: { 'public-key': { type: 'string' }, json: { type: 'boolean' } },
  parse: (args) => {
    if (args.positionals.length !== 2) throw new CliUsageError('give two checkpoint files: the older, then the newer');
    const [older, newer] = args.positionals as [string, string];
    return { older, newer, ...publicKeyOption(args), json: flag(args, 'json') };
  },
  run: auditCompare,
};
