import { randomBytes } from 'node:crypto';
import { describe } from '@jest/globals';
import { catalogSearchContract } from '../catalog-search.contract.js';
import { createMeilisearchCatalogSearch, type MeilisearchCatalogSearch } from './meilisearch-catalog-search.js';

// No Meilisearch server runs here; `docker compose up meilisearch` and MEILI_URL=http://localhost:7700
// (with MEILI_MASTER_KEY if it has one) run the same contract as PostgreSQL (docs/search.md).
const url = process.env.MEILI_URL;

if (url) {
  describe('Meilisearch catalog search', () => {
    catalogSearchContract({
      createSearch: async () =>
        createMeilisearchCatalogSearch({ url, apiKey: process.env.MEILI_MASTER_KEY, indexUid: `contract_${randomBytes(4).toString('hex')}` }),
      dispose: (search) => (search as MeilisearchCatalogSearch).deleteIndex(),
    });
  });
} else {
  describe.skip('Meilisearch contract (skipped: MEILI_URL not set)', () => {
    catalogSearchContract({
      createSearch: () => Promise.reject(new Error('MEILI_URL is not set')),
      dispose: async () => undefined,
    });
  });
}
