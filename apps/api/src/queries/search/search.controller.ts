import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QUERY_PROJECTIONS } from '@mpp/projections';
import { ServesCachedAnswer } from '../../http/answer-cache/cached-answer.interceptor.js';
import { SearchQueryDto } from './search-query.dto.js';
import { SearchCatalogQuery } from './search.query.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { SearchResultsResponse } from './search.responses.js';

@ApiTags('catalog')
@Controller('api/search')
export class SearchController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ServesCachedAnswer('search', ...QUERY_PROJECTIONS.search)
  @ApiOperation({ summary: 'Typo-tolerant part search with bike, category, brand, status and price filters, facets and sorting' })
  @ApiOkResponse({ type: SearchResultsResponse })
  @ApiProblems([503, 'the search engine is unavailable'])
  search(@Query() query: SearchQueryDto) {
    return this.queries.execute(new SearchCatalogQuery(query));
  }
}
