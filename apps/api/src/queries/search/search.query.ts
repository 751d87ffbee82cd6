import { Inject, ServiceUnavailableException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { resolveRegion, type CompatibilityStatus } from '@mpp/domain';
import { SearchUnavailable, type CatalogSearch, type SearchResult } from '@mpp/search';
import type { Knex } from '@mpp/db';
import { searchDocumentsProjection } from '@mpp/projections';
import { CATALOG_SEARCH } from '../../infrastructure/tokens.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { versionedByProjections, type VersionedAnswer } from '../../http/answer-cache/versioned-answer.js';

const SEARCH_DOCUMENTS = searchDocumentsProjection.name;
import type { SearchQueryDto } from './search-query.dto.js';

export class SearchCatalogQuery {
  constructor(readonly filter: SearchQueryDto) {}
}

/** The search answer, with the region it was ranked for and that region's currency. */
export type RegionalSearchResult = SearchResult & { region: string; currency: string };

/**
 * GET /api/search through whichever CatalogSearch adapter SEARCH selected. The region's currency is
 * the one price sorts, price filters and each hit's best price are in.
 */
@QueryHandler(SearchCatalogQuery)
export class SearchCatalogHandler implements IQueryHandler<SearchCatalogQuery, RegionalSearchResult | VersionedAnswer<RegionalSearchResult>> {
  constructor(
    @Inject(CATALOG_SEARCH) private readonly search: CatalogSearch,
    @Inject(READ_DB) private readonly knex: Knex,
  ) {}

  /**
   * With the PostgreSQL engine the answer comes from search_documents, so it is versioned by that
   * projection's checkpoint (read first: the answer is never older than its label) and cached until
   * its next batch. Meilisearch's index trails the projection on its own clock: not cached.
   */
  async execute({ filter }: SearchCatalogQuery): Promise<RegionalSearchResult | VersionedAnswer<RegionalSearchResult>> {
    if (this.search.engine !== 'postgres') return this.run(filter);
    return versionedByProjections(this.knex, [SEARCH_DOCUMENTS], () => this.run(filter));
  }

  private async run(filter: SearchQueryDto): Promise<RegionalSearchResult> {
    const region = resolveRegion(filter.region);
    try {
      const result = await this.search.search({
        q: filter.q,
        bikeId: filter.bikeId,
        category: filter.category,
        brand: filter.brand,
        status: filter.status as CompatibilityStatus | undefined,
        fits: filter.fits,
        minPriceCents: filter.minPrice,
        maxPriceCents: filter.maxPrice,
        currency: region.currency,
        sort: filter.sort,
        page: filter.page,
        limit: filter.limit,
      });
      return { ...result, region: region.code, currency: region.currency };
    } catch (error) {
      if (error instanceof SearchUnavailable) throw new ServiceUnavailableException('Search is unavailable right now; try again shortly.', { cause: error });
      throw error;
    }
  }
}
