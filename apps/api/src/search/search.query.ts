import { Inject, ServiceUnavailableException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CompatibilityStatus } from '@mpp/domain';
import { SearchUnavailable, type CatalogSearch, type SearchResult } from '@mpp/search';
import type { Knex } from '@mpp/db';
import { searchDocumentsProjection } from '@mpp/projections';
import { CATALOG_SEARCH } from '../infrastructure/tokens.js';
import { READ_DB } from '../infrastructure/read-replica/read-replica.module.js';
import { VersionedAnswer, generationKey, projectionKey } from '../http/answer-cache/versioned-answer.js';

const SEARCH_DOCUMENTS = searchDocumentsProjection.name;
import type { SearchQueryDto } from './search-query.dto.js';

export class SearchCatalogQuery {
  constructor(readonly filter: SearchQueryDto) {}
}

/** GET /api/search through whichever CatalogSearch adapter SEARCH selected. */
@QueryHandler(SearchCatalogQuery)
export class SearchCatalogHandler implements IQueryHandler<SearchCatalogQuery, SearchResult | VersionedAnswer<SearchResult>> {
  constructor(
    @Inject(CATALOG_SEARCH) private readonly search: CatalogSearch,
    @Inject(READ_DB) private readonly knex: Knex,
  ) {}

  /**
   * With the PostgreSQL engine the answer comes from search_documents, so it is versioned by that
   * projection's checkpoint (read first: the answer is never older than its label) and cached until
   * its next batch. Meilisearch's index trails the projection on its own clock: not cached.
   */
  async execute({ filter }: SearchCatalogQuery): Promise<SearchResult | VersionedAnswer<SearchResult>> {
    if (this.search.engine !== 'postgres') return this.run(filter);
    const version = await this.knex('projection_checkpoints').where({ projection: SEARCH_DOCUMENTS, state: 'active' }).first('position');
    const result = await this.run(filter);
    return new VersionedAnswer(result, { keys: [projectionKey(SEARCH_DOCUMENTS), generationKey(SEARCH_DOCUMENTS)], version: String(version?.position ?? 0) });
  }

  private async run(filter: SearchQueryDto): Promise<SearchResult> {
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
