import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { QUERY_PROJECTIONS } from '@mpp/projections';
import { ServesCachedAnswer } from '../http/answer-cache/cached-answer.interceptor.js';
import { BikeListQueryDto, BikeOptionsQueryDto, BikePartsQueryDto } from './bike-queries.dto.js';
import { BikeByIdOrSlugQuery, BikeOptionsQuery, ListBikesQuery } from './bike-queries.js';
import { BikePartsQuery } from './bike-parts.query.js';

@ApiTags('catalog')
@Controller('api/bikes')
export class BikesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ServesCachedAnswer('bikes', ...QUERY_PROJECTIONS.bikes)
  @ApiOperation({ summary: 'Bikes, filtered by year, make, model or free text' })
  list(@Query() query: BikeListQueryDto) {
    return this.queries.execute(new ListBikesQuery(query));
  }

  @Get('options')
  @ServesCachedAnswer('bike-options', ...QUERY_PROJECTIONS.bikeCascade)
  @ApiOperation({ summary: 'Choices for the year -> make -> model cascade' })
  options(@Query() query: BikeOptionsQueryDto) {
    return this.queries.execute(new BikeOptionsQuery(query));
  }

  @Get(':idOrSlug')
  @ServesCachedAnswer('bike', ...QUERY_PROJECTIONS.bikes)
  one(@Param('idOrSlug') idOrSlug: string) {
    return this.queries.execute(new BikeByIdOrSlugQuery(idOrSlug));
  }

  @Get(':idOrSlug/parts')
  @ServesCachedAnswer('bike-parts', ...QUERY_PROJECTIONS.bikeParts)
  @ApiOperation({ summary: 'Parts known for a bike, with compatibility status, evidence, best price and facets' })
  parts(@Param('idOrSlug') idOrSlug: string, @Query() query: BikePartsQueryDto) {
    return this.queries.execute(new BikePartsQuery(idOrSlug, query, new Date()));
  }
}
