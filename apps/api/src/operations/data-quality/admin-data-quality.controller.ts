import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Authenticated } from '../../auth/authenticated.decorator.js';
import { FINDING_KINDS, type FindingKind } from './data-quality-checks.js';
import { DataQualityRunsRepository } from './data-quality-runs.repository.js';
import { DataQualityReportResponse } from './data-quality.responses.js';

export class DataQualityQueryDto {
  @ApiPropertyOptional({ enum: FINDING_KINDS }) @IsOptional() @IsIn(FINDING_KINDS as readonly string[]) kind?: FindingKind;
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

@ApiTags('admin')
@Controller('api/admin/data-quality')
export class AdminDataQualityController {
  constructor(private readonly runs: DataQualityRunsRepository) {}

  @Get()
  @Authenticated('admin')
  @ApiOperation({ summary: "The latest data-quality run: counts per kind and its findings (optionally of one kind)" })
  @ApiOkResponse({ type: DataQualityReportResponse })
  async latest(@Query() query: DataQualityQueryDto): Promise<DataQualityReportResponse> {
    const run = await this.runs.latest();
    const page = query.page ?? 1;
    const limit = query.limit ?? 200;
    if (!run) return { run: null, items: [], total: 0, page, limit };
    const { items, total } = await this.runs.findings(run.id, { kind: query.kind, limit, offset: (page - 1) * limit });
    return {
      run: { id: run.id, startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt.toISOString(), counts: run.counts },
      items,
      total,
      page,
      limit,
    };
  }
}
