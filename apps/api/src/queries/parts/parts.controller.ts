import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QUERY_PROJECTIONS } from '@mpp/projections';
import { asOfFrom } from '../../http/clock-query.dto.js';
import { ReadsProjections } from '../../http/read-your-writes.interceptor.js';
import { ServesCachedAnswer } from '../../http/answer-cache/cached-answer.interceptor.js';
import { PartCompatibilityQueryDto, PartDetailQueryDto, PartListQueryDto, PartVerificationsQueryDto } from './part-queries.dto.js';
import { ListPartsQuery, PartDetailQuery } from './parts.query.js';
import { PartCompatibilityQuery } from './part-compatibility.query.js';
import { PartVerificationsQuery } from './part-verifications.query.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { PartCompatibilityResponse, PartDetailResponse, PartPageResponse, VerificationAuditResponse } from './part.responses.js';

@ApiTags('catalog')
@Controller('api/parts')
export class PartsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ReadsProjections(...QUERY_PROJECTIONS.bikes)
  @ApiOperation({ summary: 'Parts of the catalog, by brand and name (sitemaps, browsing)' })
  @ApiOkResponse({ type: PartPageResponse })
  list(@Query() query: PartListQueryDto) {
    return this.queries.execute(new ListPartsQuery(query));
  }

  @Get(':idOrSlug')
  @ServesCachedAnswer('part-detail', ...QUERY_PROJECTIONS.partDetail)
  @ApiOperation({ summary: 'A part with its current prices and the bikes it is known to fit' })
  @ApiOkResponse({ type: PartDetailResponse })
  @ApiProblems([404, 'no such part'])
  detail(@Param('idOrSlug') idOrSlug: string, @Query() query: PartDetailQueryDto) {
    return this.queries.execute(new PartDetailQuery(idOrSlug, new Date(), query.region));
  }

  @Get(':idOrSlug/verifications')
  @ServesCachedAnswer('part-verifications', ...QUERY_PROJECTIONS.partVerifications)
  @ApiOperation({ summary: 'The audit trail of verifications, with the hash-chain check' })
  @ApiOkResponse({ type: VerificationAuditResponse })
  @ApiProblems([404, 'no such part'])
  verifications(@Param('idOrSlug') idOrSlug: string, @Query() query: PartVerificationsQueryDto) {
    return this.queries.execute(new PartVerificationsQuery(idOrSlug, query.bikeId));
  }

  @Get(':idOrSlug/compatibility')
  @ServesCachedAnswer('part-compatibility', ...QUERY_PROJECTIONS.partCompatibility)
  @ApiOperation({ summary: 'Compatibility of the part with one bike, now, or as of when things happened (asOf) or were recorded (recordedAsOf)' })
  @ApiOkResponse({ type: PartCompatibilityResponse })
  @ApiProblems([404, 'no such part or bike'])
  compatibility(@Param('idOrSlug') idOrSlug: string, @Query() query: PartCompatibilityQueryDto) {
    return this.queries.execute(new PartCompatibilityQuery(idOrSlug, query.bikeId, asOfFrom(query)));
  }
}
