import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Conflict, NotFound, fitmentStream, type InclusionProof } from '@mpp/domain';
import { StreamNotFound, toExportedEvent, type EventStore, type ExportedEvent, type RecordedEvent } from '@mpp/event-store';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { VerificationLocator } from '../../commands/verifications/verification-locator.js';
import { AuditCheckpoints, type PublishedCheckpoint } from './audit-checkpoints.js';

export class VerificationProofQuery {
  constructor(readonly verificationId: string) {}
}

export interface VerificationProof extends PublishedCheckpoint {
  verificationId: string;
  streamId: string;
  /** The VerificationSubmitted event. */
  event: ExportedEvent;
  /** From that event to the stream's head at the checkpoint's position, in revision order. */
  chain: ExportedEvent[];
  inclusion: InclusionProof;
}

/**
 * Everything a rider needs to check one verification without our database (tools/audit/
 * verify-offline.mjs): the event, the chain from it to its stream's head as of the latest
 * checkpoint, the head's Merkle inclusion proof, and the signed checkpoint.
 */
@QueryHandler(VerificationProofQuery)
export class VerificationProofHandler implements IQueryHandler<VerificationProofQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly locator: VerificationLocator,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  async execute({ verificationId }: VerificationProofQuery): Promise<VerificationProof> {
    // First: without a checkpoint there is no proof, and the locator's bounded wait is not worth paying.
    const latest = await this.checkpoints.latest();
    if (!latest) throw new Conflict('no_checkpoint', 'No audit checkpoint has been published yet; try again after the next one.');
    const { partId, bikeId } = await this.locator.locate(verificationId);
    const position = BigInt(latest.checkpoint.position);
    const streamId = fitmentStream(partId, bikeId);
    const events = await this.readUpTo(streamId, position);
    const start = events.findIndex((e) => e.type === 'VerificationSubmitted' && String(e.data.verificationId).toLowerCase() === verificationId.toLowerCase());
    if (start === -1) {
      throw new Conflict('not_yet_checkpointed', `Verification ${verificationId} was recorded after the latest checkpoint (position ${position}); try again after the next one.`);
    }
    const inclusion = (await this.checkpoints.treeAt(position)).inclusionProof(streamId);
    if (!inclusion) throw new NotFound('verification', verificationId);
    const chain = events.slice(start).map(toExportedEvent);
    return { verificationId, streamId, event: chain[0]!, chain, inclusion, ...latest };
  }

  private async readUpTo(streamId: string, position: bigint): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(streamId)) {
        if (event.position > position) break;
        events.push(event);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    return events;
  }
}
