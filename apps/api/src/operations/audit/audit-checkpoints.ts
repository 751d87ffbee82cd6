import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import {
  AUDIT_CHECKPOINT_RECORDED,
  AUDIT_CHECKPOINT_STREAM,
  AuditCheckpointRecordedData,
  CURRENT_SCHEMA_VERSION,
  CheckpointAgainstLog,
  FitmentHeads,
  StreamHeadTree,
  ValidationFailed,
  newCheckpoint,
  verifyCheckpointSignature,
  witnessFileOf,
  type Checkpoint,
  type Divergence,
  type NewCheckpoint,
  type SignedCheckpoint,
  type StreamHead,
  type WitnessFile,
} from '@mpp/domain';
import { StreamNotFound, envelopeOf, eventMetadata, readAllInPages, type EventStore, type RecordedEvent } from '@mpp/event-store';
import type { CommandContext } from '../../commands/shell/command-context.js';
import { APP_CONFIG, EVENT_STORE } from '../../infrastructure/tokens.js';
import { AuditKeys } from './audit-keys.js';
import { AuditWitnessDeliveries } from './audit-witness-deliveries.js';

export interface PublishedCheckpoint extends SignedCheckpoint {
  keyId: string;
}

/** Whether the log as it is now still agrees with a checkpoint we published. */
export interface CheckpointConsistency {
  consistent: boolean;
  checkpoint: Checkpoint;
  /** The log's head when compared: the chains were verified up to it. */
  logHead: string;
  /** The log's heads at the checkpoint's position give its signed root. */
  rootMatches: boolean;
  /** The request listed the heads (a witness file), so a rewritten chain can be named. */
  headsGiven: boolean;
  /** The first stream, in stream id order, that no longer agrees; null when none can be named. */
  firstDivergingStream: string | null;
  divergences: Divergence[];
  detail: string;
}

/**
 * Makes, records and reads signed checkpoints. The list is the `audit-checkpoints` stream itself,
 * read backwards: checkpoints are a few a day, and reading the log means the list can never lag
 * behind a projection or disagree with the recorded events.
 */
@Injectable()
export class AuditCheckpoints {
  /** The tree of the newest checkpoint asked for, so proofs do not re-read the log each time. */
  private cachedTree: { position: bigint; tree: Promise<StreamHeadTree> } | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: AuditKeys,
    private readonly witnesses: AuditWitnessDeliveries,
  ) {}

  /**
   * Signs the heads as of the log's current head and records the checkpoint; writes the witness file
   * and queues the POST to the witness URL when configured (sent by the audit-witness job).
   */
  async create(context: CommandContext): Promise<NewCheckpoint> {
    const key = this.keys.signingKey();
    const position = await this.store.headPosition();
    const tree = await this.treeAt(position);
    const created = newCheckpoint(tree.heads, position, context.now, key);
    const eventId = randomUUID();
    await this.store.appendToStream(
      AUDIT_CHECKPOINT_STREAM,
      [
        {
          eventId,
          type: AUDIT_CHECKPOINT_RECORDED,
          data: created.eventData,
          metadata: eventMetadata(envelopeOf(context)),
        },
      ],
      { expectedRevision: 'any' },
    );
    const witness = witnessFileOf(created, this.keys.publicKey().publicKey);
    if (this.config.AUDIT_WITNESS_DIR) await this.writeWitness(this.config.AUDIT_WITNESS_DIR, witness);
    if (this.witnesses.configured) await this.witnesses.enqueue(eventId, witness);
    return created;
  }

  /**
   * Reads the log once to its head: are the heads at the checkpoint's position still the signed ones,
   * and does every fitment chain still verify up to today's head (so each published head runs on, by
   * valid links, to the current one)? A signature that is not ours is the caller's mistake (400).
   */
  async consistencyWith(published: SignedCheckpoint, heads?: readonly StreamHead[]): Promise<CheckpointConsistency> {
    if (!verifyCheckpointSignature(published, this.keys.signingKey())) {
      throw new ValidationFailed('signature', 'does not verify with this server\'s public key (GET /api/audit/public-key) over this checkpoint');
    }
    if (heads && treeOf(heads)?.rootHex !== published.checkpoint.root) throw new ValidationFailed('heads', 'do not give the checkpoint\'s signed root');
    const position = BigInt(published.checkpoint.position);
    const logHead = await this.store.headPosition();
    const check = new CheckpointAgainstLog(position, heads);
    for await (const event of readAllInPages(this.store, { last: logHead })) check.add(event);
    const { rootNow, divergences } = check.result();
    const logBehind = logHead < position;
    const rootMatches = !logBehind && rootNow === published.checkpoint.root;
    const consistent = rootMatches && divergences.length === 0;
    const first = divergences[0]?.streamId ?? null;
    const detail = consistent
      ? `consistent: the log's heads at position ${position} give the signed root, and every fitment chain runs on unbroken to its head at position ${logHead}`
      : logBehind
        ? `inconsistent: the log ends at position ${logHead}, before the checkpoint's position ${position}; events it covered are gone`
        : first
          ? `inconsistent: ${divergences.length} streams no longer agree with the checkpoint; the first is ${first}`
          : 'inconsistent: the log\'s heads at the checkpoint\'s position no longer give its signed root; send the heads of the witness file to name the stream';
    return { consistent, checkpoint: published.checkpoint, logHead: logHead.toString(), rootMatches, headsGiven: heads !== undefined, firstDivergingStream: first, divergences, detail };
  }

  /** The root a checkpoint made now would have. */
  async rootNow(): Promise<string> {
    return (await this.treeAt(await this.store.headPosition())).rootHex;
  }

  async list(limit: number): Promise<PublishedCheckpoint[]> {
    const items: PublishedCheckpoint[] = [];
    try {
      for await (const event of this.store.readStream(AUDIT_CHECKPOINT_STREAM, { direction: 'backwards', maxCount: limit })) {
        items.push(publishedOf(event));
      }
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    return items;
  }

  async latest(): Promise<PublishedCheckpoint | undefined> {
    return (await this.list(1))[0];
  }

  /** Every fitment stream's head at `position`, read from the log through the port (either adapter). */
  treeAt(position: bigint): Promise<StreamHeadTree> {
    if (this.cachedTree?.position !== position) {
      const tree = this.readTree(position);
      this.cachedTree = { position, tree };
      // A failed read must not stay cached.
      tree.catch(() => {
        if (this.cachedTree?.tree === tree) this.cachedTree = undefined;
      });
    }
    return this.cachedTree.tree;
  }

  private async readTree(position: bigint): Promise<StreamHeadTree> {
    const heads = new FitmentHeads(position);
    for await (const event of readAllInPages(this.store, { last: position })) heads.add(event);
    return new StreamHeadTree(heads.heads());
  }

  /** Written whole under a temporary name then renamed, so a reader never sees half a file. */
  private async writeWitness(dir: string, witness: WitnessFile): Promise<void> {
    await mkdir(dir, { recursive: true });
    const name = `checkpoint-${witness.checkpoint.position.padStart(20, '0')}.json`;
    const body = `${JSON.stringify(witness, null, 2)}\n`;
    await writeFile(join(dir, `.${name}.tmp`), body);
    await rename(join(dir, `.${name}.tmp`), join(dir, name));
  }
}

/** Undefined for heads that form no tree (a stream listed twice). */
function treeOf(heads: readonly StreamHead[]): StreamHeadTree | undefined {
  try {
    return new StreamHeadTree(heads);
  } catch {
    return undefined;
  }
}

function publishedOf(event: RecordedEvent): PublishedCheckpoint {
  const { signature, keyId, root, streams, position, createdAt } = AuditCheckpointRecordedData.parse(event.data);
  return { checkpoint: { root, streams, position, createdAt }, signature, keyId };
}
