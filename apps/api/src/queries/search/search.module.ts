import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import type { Knex } from '@mpp/db';
import { createMeilisearchCatalogSearch, createPostgresCatalogSearch, type CatalogSearch } from '@mpp/search';
import { APP_CONFIG, CATALOG_SEARCH } from '../../infrastructure/tokens.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { SearchController } from './search.controller.js';
import { SearchCatalogHandler } from './search.query.js';

/** Binds the CatalogSearch port to the adapter SEARCH selects: PostgreSQL (default) or Meilisearch. */
@Module({
  controllers: [SearchController],
  providers: [
    SearchCatalogHandler,
    {
      provide: CATALOG_SEARCH,
      inject: [APP_CONFIG, READ_DB],
      useFactory: (config: AppConfig, knex: Knex): CatalogSearch => {
        const search =
          config.SEARCH === 'meilisearch'
            ? createMeilisearchCatalogSearch({ url: config.MEILI_URL!, apiKey: config.MEILI_MASTER_KEY })
            : createPostgresCatalogSearch({ knex });
        new Logger('Search').log(`search engine: ${search.engine}`);
        return search;
      },
    },
  ],
  exports: [CATALOG_SEARCH],
})
export class SearchModule implements OnApplicationShutdown {
  constructor(@Inject(CATALOG_SEARCH) private readonly search: CatalogSearch) {}

  async onApplicationShutdown(): Promise<void> {
    await this.search.close();
  }
}
