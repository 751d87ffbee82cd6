import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { GenerationStatus, OwnedProjectionStatus, ProjectionOwner } from '@mpp/projection-runner';

@ApiSchema({ name: 'GenerationStatus' })
export class GenerationStatusResponse implements GenerationStatus {
  @ApiProperty({ type: 'integer' }) generation!: number;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ enum: ['running', 'building', 'failed', 'retired', 'replay', 'active'] }) state!: GenerationStatus['state'];
  @ApiProperty({ description: 'checkpoint position, decimal string' }) position!: string;
  @ApiProperty({ type: 'integer' }) eventsProcessed!: number;
  @ApiProperty() eventsPerSecond!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null on EventStoreDB, whose positions are byte offsets' }) lagEvents!: number | null;
  @ApiProperty({ type: 'integer', description: '0 when caught up' }) lagMs!: number;
  @ApiProperty({ type: 'integer' }) deadLetters!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

@ApiSchema({ name: 'ProjectionOwner' })
export class ProjectionOwnerResponse implements ProjectionOwner {
  @ApiProperty({ description: 'host:pid:random of the projector process' }) id!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) heartbeatAt!: string | null;
  @ApiProperty({ description: 'the holder stopped renewing; another process takes it over' }) expired!: boolean;
}

@ApiSchema({ name: 'DeployedFrom' })
export class DeployedFromResponse {
  @ApiProperty() fileName!: string;
  @ApiProperty({ format: 'date-time' }) deployedAt!: string;
}

@ApiSchema({ name: 'ProjectionStatus' })
export class ProjectionStatusResponse implements OwnedProjectionStatus {
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer', description: 'the version the running code defines' }) version!: number;
  @ApiProperty({ enum: ['built-in', 'deployed'], description: 'deployed: loaded at run time from a file (mpp projections deploy)' }) origin!: 'built-in' | 'deployed';
  @ApiPropertyOptional({ type: DeployedFromResponse, description: 'the file a deployed projection came from' }) deployed?: DeployedFromResponse;
  @ApiProperty({ type: GenerationStatusResponse, nullable: true }) active!: GenerationStatusResponse | null;
  @ApiProperty({ type: GenerationStatusResponse, nullable: true }) building!: GenerationStatusResponse | null;
  @ApiProperty({ type: ProjectionOwnerResponse, nullable: true, description: 'null when no projector holds its lease' }) owner!: ProjectionOwnerResponse | null;
}

@ApiSchema({ name: 'ProjectionStatuses' })
export class ProjectionStatusesResponse {
  @ApiProperty({ description: 'head position of the event log, decimal string' }) head!: string;
  @ApiProperty({ type: [ProjectionStatusResponse] }) items!: ProjectionStatusResponse[];
}

@ApiSchema({ name: 'RebuildRequested' })
export class RebuildRequestedResponse {
  @ApiProperty() projection!: string;
  @ApiProperty({ type: 'integer', description: 'the generation being built' }) generation!: number;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty() state!: string;
}
