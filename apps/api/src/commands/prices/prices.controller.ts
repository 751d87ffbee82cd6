import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { QUERY_PROJECTIONS } from '@mpp/projections';
import { ClockQueryDto, asOfFrom } from '../../http/clock-query.dto.js';
import { ReadsProjections } from '../../http/read-your-writes.interceptor.js';
import { ServesCachedAnswer } from '../../http/answer-cache/cached-answer.interceptor.js';
import { UuidParam } from '../../http/uuid-param.js';
import { IsRegion, RegionQueryDto } from './region-query.dto.js';
import { CurrentPricesQuery, ListRetailersQuery, PriceHistoryQuery } from './prices.query.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { CurrentPricesResponse, PriceHistoryResponse, RetailersResponse } from './price.responses.js';

export class PriceHistoryQueryDto extends RegionQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() retailerId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 90 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(365) days?: number;
}

export class CurrentPricesQueryDto extends ClockQueryDto {
  @IsRegion() region?: string;
}

@ApiTags('prices')
@Controller('api')
export class PricesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('prices/:partId')
  @ServesCachedAnswer('prices', ...QUERY_PROJECTIONS.prices)
  @ApiOperation({ summary: 'Price of a part at each retailer now, or as of when things happened (asOf) or were recorded (recordedAsOf); older than 24 h is stale' })
  @ApiOkResponse({ type: CurrentPricesResponse })
  @ApiProblems([404, 'no such part'])
  current(@UuidParam('partId') partId: string, @Query() query: CurrentPricesQueryDto) {
    return this.queries.execute(new CurrentPricesQuery(partId, new Date(), asOfFrom(query), query.region));
  }

  @Get('prices/:partId/history')
  @ReadsProjections(...QUERY_PROJECTIONS.priceHistory)
  @ApiOperation({ summary: 'Daily minimum price per retailer' })
  @ApiOkResponse({ type: PriceHistoryResponse })
  @ApiProblems([404, 'no such part'])
  history(@UuidParam('partId') partId: string, @Query() query: PriceHistoryQueryDto) {
    return this.queries.execute(new PriceHistoryQuery(partId, query.retailerId, query.days ?? 90, new Date(), query.region));
  }

  @Get('retailers')
  @ReadsProjections(...QUERY_PROJECTIONS.retailers)
  @ApiOperation({ summary: 'Every retailer, by name' })
  @ApiOkResponse({ type: RetailersResponse })
  retailers() {
    return this.queries.execute(new ListRetailersQuery());
  }
}
