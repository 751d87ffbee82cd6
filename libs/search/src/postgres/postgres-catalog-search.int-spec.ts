import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { searchDocumentsProjection } from '@mpp/projections';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { catalogSearchContract } from '../catalog-search.contract.js';
import { normaliseText, skuKey } from '../query-normaliser.js';
import { createPostgresCatalogSearch } from './postgres-catalog-search.js';

/** The tables of the search-documents projection in a schema of their own, as one generation would have them. */
async function searchSchema(db: TestDatabase): Promise<string> {
  const schema = `search_${randomBytes(4).toString('hex')}`;
  await db.knex.raw(`CREATE SCHEMA "${schema}"`);
  await searchDocumentsProjection.createTables(db.knex, schema);
  return schema;
}

describe('PostgreSQL catalog search', () => {
  const databases = new Map<object, TestDatabase>();
  catalogSearchContract({
    async createSearch() {
      const db = await createTestDatabase();
      const search = createPostgresCatalogSearch({ knex: db.knex, schema: await searchSchema(db) });
      databases.set(search, db);
      return search;
    },
    async dispose(search) {
      await databases.get(search)?.drop();
    },
  });
});

describe('query normalisation', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  // The documents are normalised by SQL (search_normalise), the query's words by TypeScript: they must agree.
  const samples = [
    'MT-07', 'mt07', 'Akrapovič Slip-On Line (Titanium)', 'R 1250 GS', 'CBR650R', 'Ninja®400', 'Öhlins TTX',
    'Straßen-Reifen', 'Søren’s BRAKE  pads', 'Æther ŁÓDŹ', 'FA252HH', '  --  ', 'crème brûlée 2021',
  ];

  it('normalises text in TypeScript exactly as search_normalise does in SQL', async () => {
    for (const sample of samples) {
      const { rows } = await db.knex.raw<{ rows: { text: string; key: string }[] }>('SELECT public.search_normalise(?) AS text, public.search_sku_key(?) AS key', [sample, sample]);
      expect({ sample, text: normaliseText(sample), key: skuKey(sample) }).toEqual({ sample, text: rows[0].text, key: rows[0].key });
    }
  });
});
