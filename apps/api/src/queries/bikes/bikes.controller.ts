import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QUERY_PROJECTIONS } from '@mpp/projections';
import { ServesCachedAnswer } from '../../http/answer-cache/cached-answer.interceptor.js';
import { BikeListQueryDto, BikeOptionsQueryDto, BikePartsQueryDto } from './bike-queries.dto.js';
import { BikeByIdOrSlugQuery, BikeOptionsQuery, ListBikesQuery } from './bikes.query.js';
import { BikePartsQuery } from './bike-parts.query.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { BikeResponse } from '../read-models/read-model.responses.js';
import { BikeOptionsResponse, BikePageResponse, BikePartsResponse } from './bike.responses.js';

@ApiTags('catalog')
@Controller('api/bikes')
export class BikesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ServesCachedAnswer('bikes', ...QUERY_PROJECTIONS.bikes)
  @ApiOperation({ summary: 'Bikes, filtered by year, make, model or free text' })
  @ApiOkResponse({ type: BikePageResponse })
  list(@Query() query: BikeListQueryDto) {
    return this.queries.execute(new ListBikesQuery(query));
  }

  @Get('options')
  @ServesCachedAnswer('bike-options', ...QUERY_PROJECTIONS.bikeCascade)
  @ApiOperation({ summary: 'Choices for the year -> make -> model cascade' })
  @ApiOkResponse({ type: BikeOptionsResponse })
  options(@Query() query: BikeOptionsQueryDto) {
    return this.queries.execute(new BikeOptionsQuery(query));
  }

  @Get(':idOrSlug')
  @ServesCachedAnswer('bike', ...QUERY_PROJECTIONS.bikes)
  @ApiOperation({ summary: 'One bike, by id or slug' })
  @ApiOkResponse({ type: BikeResponse })
  @ApiProblems([404, 'no such bike'])
  one(@Param('idOrSlug') idOrSlug: string) {
    return this.queries.execute(new BikeByIdOrSlugQuery(idOrSlug));
  }

  @Get(':idOrSlug/parts')
  @ServesCachedAnswer('bike-parts', ...QUERY_PROJECTIONS.bikeParts)
  @ApiOperation({ summary: 'Parts known for a bike, with compatibility status, evidence, best price and facets' })
  @ApiOkResponse({ type: BikePartsResponse })
  @ApiProblems([404, 'no such bike'])
  parts(@Param('idOrSlug') idOrSlug: string, @Query() query: BikePartsQueryDto) {
    return this.queries.execute(new BikePartsQuery(idOrSlug, query, new Date()));
  }
}
