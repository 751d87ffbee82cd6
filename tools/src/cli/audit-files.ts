import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadConfig } from '@mpp/config';
import { FitmentHeads, isCheckpoint, type SignedCheckpoint, type StreamHead, type StreamHeadTree, StreamHeadTree as Tree } from '@mpp/domain';
import { readAllInPages, type EventStore } from '@mpp/event-store';
import { CliUsageError } from './cli-context.js';
import { optionalString, type ParsedArgs } from './cli-args.js';

/** A checkpoint as a file: the API's `{checkpoint, signature}` answer, or a witness file that also lists the heads. */
export interface CheckpointFile extends SignedCheckpoint {
  heads?: StreamHead[];
}

export async function readCheckpointFile(path: string): Promise<CheckpointFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`cannot read checkpoint file ${path}: ${(error as Error).message}`);
  }
  const file = parsed as Partial<CheckpointFile>;
  if (!isCheckpoint(file.checkpoint) || typeof file.signature !== 'string') throw new CliUsageError(`${path} is not a checkpoint ({checkpoint: {root, streams, position, createdAt}, signature})`);
  if (file.heads !== undefined && !(Array.isArray(file.heads) && file.heads.every((h) => typeof h?.streamId === 'string' && typeof h?.hash === 'string'))) {
    throw new CliUsageError(`${path}: heads must be a list of {streamId, hash}`);
  }
  return file as CheckpointFile;
}

/**
 * `--public-key FILE` (SPKI PEM, or the JSON of GET /api/audit/public-key); else the public half
 * of AUDIT_SIGNING_KEY; else none, which the caller refuses: an unsigned check proves nothing.
 */
export async function publicKeyFor(args: { publicKeyFile?: string }): Promise<KeyObject> {
  if (args.publicKeyFile !== undefined) {
    const text = await readFile(args.publicKeyFile, 'utf8').catch((error: Error) => {
      throw new CliUsageError(`cannot read --public-key ${args.publicKeyFile}: ${error.message}`);
    });
    const pem = text.trimStart().startsWith('{') ? String((JSON.parse(text) as { publicKey?: unknown }).publicKey) : text;
    return createPublicKey(pem);
  }
  const signing = loadConfig().auditSigningKey;
  if (!signing) throw new CliUsageError('give --public-key FILE (or set AUDIT_SIGNING_KEY): a checkpoint is only worth its signature');
  return createPublicKey(signing);
}

export const publicKeyOption = (args: ParsedArgs) => ({ publicKeyFile: optionalString(args, 'public-key') });

/** Every fitment stream's head as of `position`, read from the log through the port. */
export async function treeAt(store: EventStore, position: bigint, signal?: AbortSignal): Promise<StreamHeadTree> {
  const heads = new FitmentHeads(position);
  for await (const event of readAllInPages(store, { last: position })) {
    if (signal?.aborted) break;
    heads.add(event);
  }
  return new Tree(heads.heads());
}
