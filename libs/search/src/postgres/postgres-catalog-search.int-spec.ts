import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { COMPATIBILITY_STATUSES } from '@mpp/domain';
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

/**
 * 320 parts over three categories, four brands and bikes of every status, half of them "carbon";
 * prices in USD from 1,000 to 32,900 cents, every tenth part unpriced. Deterministic, so a count
 * done here by hand is the answer.
 */
function facetCatalog(): SearchDocument[] {
  const categories = ['exhaust', 'brake-pads', 'windscreens'];
  const brands = ['Akrapovič', 'EBC', 'Puig', 'R&G'];
  const statuses = ['verified', 'community', 'disputed', 'no_data'] as const;
  return Array.from({ length: 320 }, (_, i): SearchDocument => {
    const priceCents = i % 10 === 9 ? null : 1_000 + ((i * 37) % 320) * 100;
    return {
      id: `00000000-0000-4000-8000-${(0x1000 + i).toString(16).padStart(12, '0')}`,
      slug: `facet-part-${i}`,
      sku: `FP-${i}`,
      brand: brands[(i * 7) % 4]!,
      name: `${i % 2 === 0 ? 'Carbon' : 'Steel'} Part ${i}`,
      category: categories[i % 3]!,
      description: null,
      // Zero to two bikes, statuses cycling independently of category and brand.
      bikes: Array.from({ length: i % 3 }, (_, b) => ({
        bikeId: `00000000-0000-4000-9000-${b.toString(16).padStart(12, '0')}`,
        label: `2020 Yamaha Tracer ${b}`,
        status: statuses[(i + b * 3) % 4]!,
        confirmations: (i + b) % 4,
        refutations: 0,
      })),
      bestPriceCents: priceCents,
      currency: priceCents === null ? null : 'USD',
      bestPrices: priceCents === null ? {} : { USD: priceCents },
      inStock: priceCents !== null,
      confirmations: i % 4,
      refutations: 0,
      updatedPosition: i + 1,
    };
  });
}

interface FacetQuery {
  carbon: boolean;
  category?: string;
  brand?: string;
  status?: (typeof COMPATIBILITY_STATUSES)[number];
  minPriceCents?: number;
  maxPriceCents?: number;
}

/** Total and facets counted one document at a time: each facet with every filter but its own. */
function bruteForce(documents: readonly SearchDocument[], query: FacetQuery) {
  const matches = documents.filter((d) => {
    const price = d.bestPrices['USD'];
    if (query.carbon && !d.name.startsWith('Carbon')) return false;
    if (query.minPriceCents !== undefined && (price === undefined || price < query.minPriceCents)) return false;
    if (query.maxPriceCents !== undefined && (price === undefined || price > query.maxPriceCents)) return false;
    return true;
  });
  const categoryOk = (d: SearchDocument) => query.category === undefined || d.category === query.category;
  const brandOk = (d: SearchDocument) => query.brand === undefined || d.brand.toLowerCase() === query.brand.toLowerCase();
  const hasStatus = (d: SearchDocument, status: string) => d.bikes.some((bike) => bike.status === status);
  const statusOk = (d: SearchDocument) => query.status === undefined || hasStatus(d, query.status);
  const facet = (rows: SearchDocument[], valuesOf: (d: SearchDocument) => string[]) => {
    const counts = new Map<string, number>();
    for (const row of rows) for (const value of valuesOf(row)) counts.set(value, (counts.get(value) ?? 0) + 1);
    return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  };
  const all = matches.filter((d) => categoryOk(d) && brandOk(d) && statusOk(d));
  return {
    total: all.length,
    ids: new Set(all.map((d) => d.id)),
    facets: {
      category: facet(matches.filter((d) => brandOk(d) && statusOk(d)), (d) => [d.category]),
      brand: facet(matches.filter((d) => categoryOk(d) && statusOk(d)), (d) => [d.brand]),
      status: facet(matches.filter((d) => categoryOk(d) && brandOk(d)), (d) => COMPATIBILITY_STATUSES.filter((status) => hasStatus(d, status))),
    },
  };
}

describe('PostgreSQL catalog search, facet counts under combined filters', () => {
  const documents = facetCatalog();
  let db: TestDatabase;
  let schema: string;
  let exact: CatalogSearch;
  let capped: CatalogSearch;
  beforeAll(async () => {
    db = await createTestDatabase();
    schema = await searchSchema(db);
    exact = createPostgresCatalogSearch({ knex: db.knex, schema });
    capped = createPostgresCatalogSearch({ knex: db.knex, schema, exactCountLimit: 16 });
    await exact.upsert(documents);
  });
  afterAll(async () => {
    await db.drop();
  });

  const queries: FacetQuery[] = [
    { carbon: true, category: 'exhaust', brand: 'puig', status: 'verified', minPriceCents: 5_000, maxPriceCents: 25_000 },
    { carbon: true, category: 'brake-pads', status: 'community', minPriceCents: 2_000 },
    { carbon: true, brand: 'Akrapovič', status: 'disputed', maxPriceCents: 20_000 },
    { carbon: false, category: 'windscreens', brand: 'EBC', status: 'verified', minPriceCents: 5_000, maxPriceCents: 30_000 },
    { carbon: false, category: 'exhaust', status: 'no_data', minPriceCents: 1_000, maxPriceCents: 15_000 },
    { carbon: false, brand: 'r&g', maxPriceCents: 12_000 },
    { carbon: true, category: 'windscreens', brand: 'EBC' },
  ];

  it('counts the total and every facet as a count of the documents does, with words or without, through every index', async () => {
    for (const query of queries) {
      const expected = bruteForce(documents, query);
      const { carbon, ...filters } = query;
      const result = await exact.search({ q: carbon ? 'carbon' : '', ...filters, limit: 100 });
      expect({ query, total: result.total, facets: result.facets, exhaustive: result.exhaustive }).toEqual({
        query,
        total: expected.total,
        facets: expected.facets,
        exhaustive: { total: true, facets: true },
      });
      expect(new Set(result.hits.map((hit) => hit.id))).toEqual(expected.ids);
    }
  });

  it('narrows a broad query by its facet filters to the same page and exact total as counting everything', async () => {
    // "carbon" matches 160 parts: far above the capped adapter's 16, so it samples, finds too few
    // passing the filters, and reads the narrowed matches, starting from the category's candidates.
    let narrowedExactly = 0;
    for (const query of queries.filter((q) => q.carbon && q.category !== undefined)) {
      const { carbon: _carbon, ...filters } = query;
      const result = await capped.search({ q: 'carbon', ...filters });
      expect(result.exhaustive.facets).toBe(false);
      if (!result.exhaustive.total) continue;
      narrowedExactly += 1;
      expect({ query, total: result.total }).toEqual({ query, total: bruteForce(documents, query).total });
      expect(result.hits).toEqual((await exact.search({ q: 'carbon', ...filters })).hits);
    }
    expect(narrowedExactly).toBeGreaterThanOrEqual(2);
  });

  it('reads the sample of a query without words by the bucket that the sample tokens encode', async () => {
    // search_sample_bucket (migration 0032) and search_sample_tokens (0026) must pick the same parts.
    for (let level = 0; level <= 5; level += 1) {
      const { rows } = await db.knex.raw<{ rows: { by_token: number; by_bucket: number; both: number }[] }>(
        `SELECT count(*) FILTER (WHERE search_vector @@ ?::tsquery)::int AS by_token,
                count(*) FILTER (WHERE public.search_sample_bucket(part_id) < ?)::int AS by_bucket,
                count(*) FILTER (WHERE search_vector @@ ?::tsquery AND public.search_sample_bucket(part_id) < ?)::int AS both
           FROM "${schema}".search_documents`,
        [`#s${level}`, 2 ** level, `#s${level}`, 2 ** level],
      );
      expect(rows[0]).toEqual({ by_token: 5 * 2 ** level, by_bucket: 5 * 2 ** level, both: 5 * 2 ** level });
    }
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
