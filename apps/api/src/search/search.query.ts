import { Inject, ServiceUnavailableException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CompatibilityStatus } from '@mpp/domain';
import { SearchUnavailable, type CatalogSearch, type SearchResult } from '@mpp/search';
import { CATALOG_SEARCH } from '../infrastructure/tokens.js';
import type { SearchQueryDto } from './search-query.dto.js';

export class SearchCatalogQuery {
  constructor(readonly filter: SearchQueryDto) {}
}

/** GET /api/search through whichever CatalogSearch adapter SEARCH selected. */
@QueryHandler(SearchCatalogQuery)
export class SearchCatalogHandler implements IQueryHandler<SearchCatalogQuery, SearchResult> {
  constructor(@Inject(CATALOG_SEARCH) private readonly search: CatalogSearch) {}

  async execute({ filter }: SearchCatalogQuery): Promise<SearchResult> {
    try {
      return await this.search.search({
        q: filter.q,
        bikeId: filter.bikeId,
        category: filter.category,
        brand: filter.brand,
        status: filter.status as CompatibilityStatus | undefined,
        minPriceCents: filter.minPrice,
        maxPriceCents: filter.maxPrice,
        sort: filter.sort,
        page: filter.page,
        limit: filter.limit,
      });
    } catch (error) {
      if (error instanceof SearchUnavailable) throw new ServiceUnavailableException('Search is unavailable right now; try again shortly.', { cause: error });
      throw error;
    }
  }
}
