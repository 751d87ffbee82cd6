import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import {
  AUDIT_CHECKPOINT_RECORDED,
  AUDIT_CHECKPOINT_STREAM,
  AuditCheckpointRecordedData,
  FitmentHeads,
  StreamHeadTree,
  newCheckpoint,
  witnessFileOf,
  type NewCheckpoint,
  type SignedCheckpoint,
} from '@mpp/domain';
import { StreamNotFound, readAllInPages, type EventStore, type RecordedEvent } from '@mpp/event-store';
import { eventMetadataFrom, type CommandContext } from '../commands/command-context.js';
import { APP_CONFIG, EVENT_STORE } from '../infrastructure/tokens.js';
import { AuditKeys } from './audit-keys.js';

export interface PublishedCheckpoint extends SignedCheckpoint {
  keyId: string;
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
  ) {}

  /** Signs the heads as of the log's current head and records the checkpoint; writes the witness file when configured. */
  async create(context: CommandContext): Promise<NewCheckpoint> {
    const key = this.keys.signingKey();
    const position = await this.store.headPosition();
    const tree = await this.treeAt(position);
    const created = newCheckpoint(tree.heads, position, context.now, key);
    await this.store.appendToStream(
      AUDIT_CHECKPOINT_STREAM,
      [
        {
          eventId: randomUUID(),
          type: AUDIT_CHECKPOINT_RECORDED,
          data: created.eventData,
          metadata: eventMetadataFrom(context),
        },
      ],
      { expectedRevision: 'any' },
    );
    if (this.config.AUDIT_WITNESS_DIR) await this.writeWitness(this.config.AUDIT_WITNESS_DIR, created);
    return created;
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
  private async writeWitness(dir: string, created: NewCheckpoint): Promise<void> {
    await mkdir(dir, { recursive: true });
    const name = `checkpoint-${created.signed.checkpoint.position.padStart(20, '0')}.json`;
    const body = `${JSON.stringify(witnessFileOf(created, this.keys.publicKey().publicKey), null, 2)}\n`;
    await writeFile(join(dir, `.${name}.tmp`), body);
    await rename(join(dir, `.${name}.tmp`), join(dir, name));
  }
}

function publishedOf(event: RecordedEvent): PublishedCheckpoint {
  const { signature, keyId, root, streams, position, createdAt } = AuditCheckpointRecordedData.parse(event.data);
  return { checkpoint: { root, streams, position, createdAt }, signature, keyId };
}
