import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ChainBreakResponse } from '../../queries/parts/part.responses.js';
import type { Checkpoint, InclusionProof } from '@mpp/domain';
import type { ExportedEvent } from '@mpp/event-store';
import type { PublishedCheckpoint } from './audit-checkpoints.js';
import type { VerificationProof } from './verification-proof.query.js';

@ApiSchema({ name: 'AuditPublicKey' })
export class AuditPublicKeyResponse {
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: string;
  @ApiProperty({ description: 'SPKI PEM' }) publicKey!: string;
}

@ApiSchema({ name: 'Checkpoint' })
export class CheckpointResponse implements Checkpoint {
  @ApiProperty({ description: 'Merkle root (RFC 6962) of the fitment stream heads, lower-case hex' }) root!: string;
  @ApiProperty({ type: 'integer', description: 'how many streams (leaves)' }) streams!: number;
  @ApiProperty({ description: 'log position the heads are taken at, inclusive, as a decimal string' }) position!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

@ApiSchema({ name: 'PublishedCheckpoint', description: 'A checkpoint and its Ed25519 signature over its RFC 8785 JSON' })
export class PublishedCheckpointResponse implements PublishedCheckpoint {
  @ApiProperty({ type: CheckpointResponse }) checkpoint!: CheckpointResponse;
  @ApiProperty({ description: 'base64' }) signature!: string;
  @ApiProperty({ description: 'which signing key' }) keyId!: string;
}

@ApiSchema({ name: 'PublishedCheckpoints' })
export class PublishedCheckpointsResponse {
  @ApiProperty({ type: [PublishedCheckpointResponse], description: 'newest first' }) items!: PublishedCheckpointResponse[];
}

@ApiSchema({ name: 'ExportedEvent' })
export class ExportedEventResponse implements ExportedEvent {
  @ApiProperty() position!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() revision!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

@ApiSchema({ name: 'InclusionProof' })
export class InclusionProofResponse implements InclusionProof {
  @ApiProperty() streamId!: string;
  @ApiProperty({ description: "the stream head's hash" }) head!: string;
  @ApiProperty({ type: 'integer' }) leafIndex!: number;
  @ApiProperty({ type: 'integer' }) treeSize!: number;
  @ApiProperty({ type: [String], description: "lower-case hex, from the leaf's sibling up to the root's child" }) auditPath!: string[];
}

@ApiSchema({ name: 'VerificationProof', description: 'Everything needed to check one verification without our database' })
export class VerificationProofResponse extends PublishedCheckpointResponse implements VerificationProof {
  @ApiProperty({ format: 'uuid' }) verificationId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: ExportedEventResponse, description: 'the VerificationSubmitted event' }) event!: ExportedEventResponse;
  @ApiProperty({ type: [ExportedEventResponse], description: "from that event to the stream's head at the checkpoint, in revision order" }) chain!: ExportedEventResponse[];
  @ApiProperty({ type: InclusionProofResponse }) inclusion!: InclusionProofResponse;
}

@ApiSchema({ name: 'CheckpointDivergence', description: 'One way the log no longer agrees with a published checkpoint' })
export class CheckpointDivergenceResponse {
  @ApiProperty() streamId!: string;
  @ApiProperty({ enum: ['head_differs', 'stream_missing', 'stream_unlisted', 'chain_broken'] }) reason!: string;
  @ApiPropertyOptional({ type: 'integer', description: 'chain_broken: the revision where the chain breaks' }) revision?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'chain_broken: the event there' }) eventId?: string;
  @ApiPropertyOptional({ type: ChainBreakResponse, description: 'chain_broken: how it breaks' }) break?: ChainBreakResponse;
}

@ApiSchema({ name: 'CheckpointConsistency', description: 'Whether the log as it is now agrees with a published checkpoint' })
export class CheckpointConsistencyResponse {
  @ApiProperty() consistent!: boolean;
  @ApiProperty({ type: CheckpointResponse }) checkpoint!: CheckpointResponse;
  @ApiProperty({ description: "the log's head when compared (decimal string): chains were verified up to it" }) logHead!: string;
  @ApiProperty({ description: "the log's heads at the checkpoint's position give its signed root" }) rootMatches!: boolean;
  @ApiProperty({ description: 'the request listed the heads (a witness file), so a rewritten chain can be named' }) headsGiven!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'the first stream, in stream id order, that no longer agrees' }) firstDivergingStream!: string | null;
  @ApiProperty({ type: [CheckpointDivergenceResponse] }) divergences!: CheckpointDivergenceResponse[];
  @ApiProperty() detail!: string;
}
