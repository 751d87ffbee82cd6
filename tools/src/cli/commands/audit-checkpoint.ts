import { randomUUID, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '@mpp/config';
import {
  AUDIT_CHECKPOINT_RECORDED,
  AUDIT_CHECKPOINT_STREAM,
  AuditCheckpointRecordedData,
  newCheckpoint,
  publicKeyPem,
  verifyCheckpointSignature,
  witnessFileOf,
  type SignedCheckpoint,
} from '@mpp/domain';
import { StreamNotFound, eventMetadata } from '@mpp/event-store';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { flag, optionalString, positiveNumber, type ParsedArgs } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { publicKeyFor, publicKeyOption, treeAt } from '../audit-files.js';
import { renderTable } from '../text-table.js';

export type CheckpointOptions =
  | { action: 'create'; signingKey: KeyObject; out?: string; json: boolean }
  | { action: 'list'; limit: number; json: boolean }
  | { action: 'verify'; limit: number; publicKeyFile?: string; json: boolean };

interface Recorded extends SignedCheckpoint {
  keyId: string;
}

/** `mpp audit checkpoint create|list|verify`: the same checkpoints as the API's, from the command line. */
export async function auditCheckpoint(context: CliContext, options: CheckpointOptions): Promise<number> {
  switch (options.action) {
    case 'create':
      return create(context, options);
    case 'list':
      return list(context, options);
    case 'verify':
      return verify(context, options);
  }
}

async function create(context: CliContext, options: Extract<CheckpointOptions, { action: 'create' }>): Promise<number> {
  const position = await context.store.headPosition();
  const tree = await treeAt(context.store, position, context.signal);
  if (context.signal.aborted) return EXIT.interrupted;
  const now = new Date();
  const created = newCheckpoint(tree.heads, position, now, options.signingKey);
  const id = randomUUID();
  await context.store.appendToStream(
    AUDIT_CHECKPOINT_STREAM,
    [{
      eventId: id,
      type: AUDIT_CHECKPOINT_RECORDED,
      data: created.eventData,
      metadata: eventMetadata({ correlationId: id, causationId: id, actor: 'system:mpp-cli', occurredAt: now.toISOString() }),
    }],
    { expectedRevision: 'any' },
  );
  const witness = witnessFileOf(created, publicKeyPem(options.signingKey));
  if (options.out !== undefined) await writeFile(options.out, `${JSON.stringify(witness, null, 2)}\n`);
  if (options.json) writeLine(context.out, JSON.stringify({ ...created.signed, keyId: created.keyId }, null, 2));
  else writeLine(context.out, `checkpoint at position ${position}: ${created.signed.checkpoint.streams} fitment streams, root ${created.signed.checkpoint.root}${options.out ? ` (witness file ${options.out})` : ''}`);
  return EXIT.ok;
}

async function recorded(context: CliContext, limit: number): Promise<Recorded[]> {
  const items: Recorded[] = [];
  try {
    for await (const event of context.store.readStream(AUDIT_CHECKPOINT_STREAM, { direction: 'backwards', maxCount: limit })) {
      const { signature, keyId, root, streams, position, createdAt } = AuditCheckpointRecordedData.parse(event.data);
      items.push({ checkpoint: { root, streams, position, createdAt }, signature, keyId });
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return items;
}

async function list(context: CliContext, options: { limit: number; json: boolean }): Promise<number> {
  const items = await recorded(context, options.limit);
  if (options.json) writeLine(context.out, JSON.stringify({ items }, null, 2));
  else if (items.length === 0) writeLine(context.out, 'no checkpoints recorded yet (mpp audit checkpoint create)');
  else writeLine(context.out, renderTable(['POSITION', 'STREAMS', 'CREATED AT', 'ROOT'], items.map((c) => [c.checkpoint.position, String(c.checkpoint.streams), c.checkpoint.createdAt, c.checkpoint.root])));
  return EXIT.ok;
}

/** Each recorded checkpoint: its signature, and the root the log gives at its position today. */
async function verify(context: CliContext, options: { limit: number; publicKeyFile?: string; json: boolean }): Promise<number> {
  const key = await publicKeyFor(options);
  const results = [];
  for (const item of await recorded(context, options.limit)) {
    if (context.signal.aborted) return EXIT.interrupted;
    const root = (await treeAt(context.store, BigInt(item.checkpoint.position), context.signal)).rootHex;
    results.push({ position: item.checkpoint.position, signatureValid: verifyCheckpointSignature(item, key), rootMatches: root === item.checkpoint.root });
  }
  const failed = results.filter((r) => !r.signatureValid || !r.rootMatches);
  if (options.json) writeLine(context.out, JSON.stringify({ checkpoints: results }, null, 2));
  else {
    writeLine(context.out, renderTable(['POSITION', 'SIGNATURE', 'ROOT'], results.map((r) => [r.position, r.signatureValid ? 'valid' : 'INVALID', r.rootMatches ? 'matches the log' : 'DIFFERS from the log'])));
    writeLine(context.out, failed.length === 0 ? `${results.length} checkpoints verified` : `${failed.length} of ${results.length} checkpoints fail`);
  }
  return failed.length === 0 ? EXIT.ok : EXIT.failed;
}

function parse(args: ParsedArgs): CheckpointOptions {
  const [action, ...extra] = args.positionals;
  if (extra.length > 0) throw new CliUsageError(`unexpected arguments: ${extra.join(' ')}`);
  const json = flag(args, 'json');
  switch (action) {
    case 'create': {
      const signingKey = loadConfig().auditSigningKey;
      if (!signingKey) throw new CliUsageError('AUDIT_SIGNING_KEY is not set: there is no key to sign with');
      return { action, signingKey, out: optionalString(args, 'out'), json };
    }
    case 'list':
      return { action, limit: positiveNumber(args, 'limit', 20), json };
    case 'verify':
      return { action, limit: positiveNumber(args, 'limit', 20), ...publicKeyOption(args), json };
    default:
      throw new CliUsageError(`expected create, list or verify, got ${JSON.stringify(action ?? '')}`);
  }
}

export const auditCheckpointCommand: CliCommand<CheckpointOptions> = {
  words: ['audit', 'checkpoint'],
  usage: `mpp audit checkpoint create|list|verify [--out FILE] [--limit N] [--public-key PEM] [--json]
  create   signs every fitment stream's head as of the log's head with AUDIT_SIGNING_KEY and records
           the checkpoint (as POST /api/admin/audit/checkpoints does)
           --out FILE  also write the witness file (checkpoint, signature, public key, heads): keep it
                       outside the database; \`mpp audit verify --against-checkpoint FILE\` reads it
  list     the recorded checkpoints, newest first (--limit N, default 20)
  verify   each recorded checkpoint (--limit N): its signature with --public-key (default: the public
           half of AUDIT_SIGNING_KEY), and whether the log still gives its root. Exit code 1 if any fails.`,
  options: { out: { type: 'string' }, limit: { type: 'string' }, 'public-key': { type: 'string' }, json: { type: 'boolean' } },
  parse,
  run: auditCheckpoint,
};
