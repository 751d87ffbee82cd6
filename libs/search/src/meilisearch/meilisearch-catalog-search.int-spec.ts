import { randomBytes } from 'node:crypto';
import { describe } from '@jest/globals';
import { catalogSearchContract } from '../catalog-search.contract.js';
import { createMeilisearchCatalogSearch, type MeilisearchCatalogSearch } from './meilisearch-catalog-search.js';

// The only proof of Meilisearch's semantics: the same contract as PostgreSQL against a real server.
// `npm run test:stores` (Docker) or .github/workflows/stores.yml set MEILI_URL (and MEILI_MASTER_KEY);
// without it this reports skipped. meilisearch-requests.int-spec.ts proves only our side of the wire.
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
