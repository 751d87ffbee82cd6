import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PageResponse } from '../../queries/read-models/read-model.responses.js';
import { FINDING_KINDS, type Finding, type FindingKind } from './data-quality-checks.js';

@ApiSchema({ name: 'DataQualityRun' })
export class DataQualityRunResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) finishedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'findings per kind' }) counts!: Partial<Record<FindingKind, number>>;
}

@ApiSchema({ name: 'DataQualityFinding' })
export class DataQualityFindingResponse implements Finding {
  @ApiProperty({ enum: FINDING_KINDS }) kind!: FindingKind;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'ids of what the finding is about; never personal data' }) subject!: Record<string, string>;
  @ApiProperty() detail!: string;
}

@ApiSchema({ name: 'DataQualityReport', description: 'The latest run (null before the first) and a page of its findings' })
export class DataQualityReportResponse extends PageResponse {
  @ApiProperty({ type: DataQualityRunResponse, nullable: true }) run!: DataQualityRunResponse | null;
  @ApiProperty({ type: [DataQualityFindingResponse] }) items!: DataQualityFindingResponse[];
}
