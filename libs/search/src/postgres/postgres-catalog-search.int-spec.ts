import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { searchDocumentsProjection } from '@mpp/projections';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import type { CatalogSearch, SearchDocument } from '../catalog-search.port.js';
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

/**
 * 256 parts whose ids end in every byte, so each of the 64 sample buckets holds four: the even ones
 * are Akrapovič exhausts or silencers (128), the odd ones EBC brake pads; prices fall with the id.
 */
function broadCatalog(): SearchDocument[] {
  return Array.from({ length: 256 }, (_, i) => {
    const akrapovic = i % 2 === 0;
    const category = akrapovic ? (i % 8 === 0 ? 'exhaust' : 'silencers') : 'brake-pads';
    const priceCents = 100_000 - i * 100;
    return {
      id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      slug: `part-${i}`,
      sku: `SKU-${i}`,
      brand: akrapovic ? 'Akrapovič' : 'EBC',
      name: akrapovic ? `Slip-On ${i}` : `Pads ${i}`,
      category,
      description: null,
      bikes: [],
      bestPriceCents: priceCents,
      currency: 'USD',
      bestPrices: { USD: priceCents },
      inStock: true,
      confirmations: i % 5,
      refutations: 0,
      updatedPosition: i + 1,
    };
  });
}

describe('PostgreSQL catalog search, queries matching more than it counts exactly', () => {
  let db: TestDatabase;
  let capped: CatalogSearch;
  let exact: CatalogSearch;
  beforeAll(async () => {
    db = await createTestDatabase();
    const schema = await searchSchema(db);
    capped = createPostgresCatalogSearch({ knex: db.knex, schema, exactCountLimit: 64 });
    exact = createPostgresCatalogSearch({ knex: db.knex, schema });
    await exact.upsert(broadCatalog());
  });
  afterAll(async () => {
    await db.drop();
  });

  it('estimates the total and the facets from a sample, says they are estimates, and still fills the page with matches', async () => {
    const result = await capped.search({ q: 'akrapovic', limit: 10 });
    expect(result.exhaustive).toEqual({ total: false, facets: false });
    expect(result.total).toBeGreaterThan(64);
    expect(Math.abs(result.total - 128)).toBeLessThanOrEqual(32);
    // Every part has one category: the estimated facet adds up to the estimated total.
    expect(result.facets.category.reduce((sum, f) => sum + f.count, 0)).toBe(result.total);
    expect(result.facets.brand).toEqual([{ value: 'Akrapovič', count: result.total }]);
    expect(result.hits).toHaveLength(10);
    expect(result.hits.every((hit) => hit.brand === 'Akrapovič')).toBe(true);
  });

  it('counts the total exactly when the filtered matches fit, while the facets stay estimates', async () => {
    const result = await capped.search({ q: 'akrapovic', category: 'exhaust', limit: 50 });
    expect(result.exhaustive).toEqual({ total: true, facets: false });
    expect(result.total).toBe(32);
    expect(result.hits.map((hit) => hit.id)).toEqual((await exact.search({ q: 'akrapovic', category: 'exhaust', limit: 50 })).hits.map((hit) => hit.id));
  });

  it('cuts a price-sorted page from every match, not from the sample', async () => {
    for (const query of [{ q: 'akrapovic', sort: 'price_asc' as const }, { minPriceCents: 0, sort: 'price_desc' as const }]) {
      const result = await capped.search(query);
      expect(result.exhaustive.total).toBe(false);
      expect(result.hits.map((hit) => hit.id)).toEqual((await exact.search(query)).hits.map((hit) => hit.id));
    }
  });

  it('answers exactly below the limit', async () => {
    // Akrapovič parts from 98,000 cents: ids 0 to 20, eleven of them; exhausts 0, 8 and 16.
    expect(await capped.search({ q: 'akrapovic', category: 'exhaust', brand: 'akrapovič', minPriceCents: 98_000 })).toMatchObject({
      total: 3,
      exhaustive: { total: true, facets: true },
    });
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
