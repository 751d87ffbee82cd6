import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BIKES, FIXTURE, FIXTURE_DOCUMENTS } from '../testing/fixture-catalog.js';
import { SearchRequestRejected, SearchTaskFailed, SearchUnavailable } from '../search-errors.js';
import { createMeilisearchCatalogSearch, type MeilisearchCatalogSearch } from './meilisearch-catalog-search.js';
import { categoryKeyOf, toMeilisearchPart } from './meilisearch-documents.js';
import { startMeilisearchWireRecorder, type MeilisearchWireRecorder, type MultiSearchQueryBody, type RecordedRequest } from './testing/meilisearch-wire-recorder.js';

// Our requests and our handling of Meilisearch's answers, against a recording double on loopback.
// What Meilisearch does with these requests is proven only by the contract suite against a real
// server (meilisearch-catalog-search.int-spec.ts with MEILI_URL; `npm run test:stores`).

let wire: MeilisearchWireRecorder;
let search: MeilisearchCatalogSearch;

beforeEach(async () => {
  wire = await startMeilisearchWireRecorder();
  search = createMeilisearchCatalogSearch({ url: wire.url, apiKey: 'test-key', taskPollMs: 1, batchSize: 4 });
});
afterEach(async () => {
  await wire.close();
});

const sentQueries = (): MultiSearchQueryBody[] =>
  wire.operations().flatMap((r) => (r.path === '/multi-search' ? (r.body as { queries: MultiSearchQueryBody[] }).queries : []));
const indexOfRequest = (predicate: (r: RecordedRequest) => boolean) => wire.requests.findIndex(predicate);
const taskPollOf = (taskUid: number) => (r: RecordedRequest) => r.method === 'GET' && r.path === `/tasks/${taskUid}`;
const enqueuedUidOf = (position: number): number => {
  // Tasks are numbered in the order the double received the mutations.
  const mutations = wire.operations().filter((r) => r.method !== 'GET' && r.path !== '/multi-search');
  return mutations.indexOf(wire.operations()[position]);
};

describe('Meilisearch adapter requests (recording double)', () => {
  describe('swapIn', () => {
    it('swaps a built index in with the body the pinned server takes, after the live index is prepared, then drops the build', async () => {
      const build = createMeilisearchCatalogSearch({ url: wire.url, apiKey: 'test-key', taskPollMs: 1, indexUid: 'parts_g2' });
      await build.upsert(FIXTURE_DOCUMENTS.slice(0, 2));
      const before = wire.operations().length;

      expect(await search.swapIn('parts_g2')).toBe(true);
      const calls = wire.operations().slice(before).map((r) => `${r.method} ${r.path}`);
      expect(calls).toEqual(['GET /indexes/parts_g2', 'POST /indexes', 'PATCH /indexes/parts/settings', 'POST /swap-indexes', 'DELETE /indexes/parts_g2']);
      // Meilisearch v1.18+ (compose and CI pin v1.50.0) reads `rename: false` as a swap; v1.16 refused it.
      expect(wire.operations().find((r) => r.path === '/swap-indexes')?.body).toEqual([{ indexes: ['parts', 'parts_g2'], rename: false }]);
      const swap = wire.operations().find((r) => r.path === '/swap-indexes')!;
      const swapUid = enqueuedUidOf(wire.operations().indexOf(swap));
      // The build is dropped only once the swap's task succeeded: before, it still holds the new documents.
      expect(indexOfRequest(taskPollOf(swapUid))).toBeLessThan(indexOfRequest((r) => r.method === 'DELETE'));
    });

    it('sends nothing but the look-up when there is no such index (the swap was done already)', async () => {
      expect(await search.swapIn('parts_g7')).toBe(false);
      expect(wire.operations().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /indexes/parts_g7']);
    });
  });

  describe('settings', () => {
    it('prepare() sends the settings and resolves only after their task succeeded', async () => {
      await search.prepare();
      const settings = wire.operations().find((r) => r.method === 'PATCH');
      expect(settings?.path).toBe('/indexes/parts/settings');
      const settingsUid = enqueuedUidOf(wire.operations().indexOf(settings!));
      expect(indexOfRequest(taskPollOf(settingsUid))).toBeGreaterThan(wire.requests.indexOf(settings!));
      expect(settings?.authorization).toBe('Bearer test-key');
    });

    it('sends the typo budget that gives "akrapvik" (8 letters) the two typos the contract needs', async () => {
      await search.prepare();
      const body = wire.operations().find((r) => r.method === 'PATCH')?.body as { typoTolerance: Record<string, unknown> };
      const { minWordSizeForTypos } = body.typoTolerance as { minWordSizeForTypos: { oneTypo: number; twoTypos: number } };
      expect(minWordSizeForTypos).toEqual({ oneTypo: 5, twoTypos: 8 });
      // The contract's two-typo case: akrapvik -> akrapovic is two edits, and its length reaches twoTypos.
      expect(editDistance('akrapvik', 'akrapovic')).toBe(2);
      expect('akrapvik'.length).toBeGreaterThanOrEqual(minWordSizeForTypos.twoTypos);
      // ...and its one-typo case "exaust" stays at one.
      expect('exaust'.length).toBeLessThan(minWordSizeForTypos.twoTypos);
      expect(body.typoTolerance).toMatchObject({ enabled: true, disableOnNumbers: true, disableOnAttributes: ['sku'] });
      expect(body.typoTolerance.disableOnWords).toEqual(expect.arrayContaining(['mt07', 'fz07', 'r1250gs', 'gs1250', 'r1250', 'ex400', 'ninja400', 'cbr650r']));
    });

    it('sends an uncapped total, the exact category filter key and the confirmations tie-break', async () => {
      await search.prepare();
      const body = wire.operations().find((r) => r.method === 'PATCH')?.body as Record<string, unknown>;
      expect((body.pagination as { maxTotalHits: number }).maxTotalHits).toBeGreaterThanOrEqual(1_000_000_000);
      expect(body.filterableAttributes).toEqual(expect.arrayContaining(['categoryKey', 'bikeIds', 'fits', 'statuses', 'brand', 'bestPriceCents']));
      expect(body.rankingRules).toEqual(['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'confirmations:desc']);
    });

    it('treats an index that already exists as prepared', async () => {
      await search.prepare();
      await expect(search.prepare()).resolves.toBeUndefined();
      expect(wire.operations().filter((r) => r.method === 'PATCH')).toHaveLength(2);
    });
  });

  describe('search', () => {
    it("asks every page and count query to match all the words (matchingStrategy 'all')", async () => {
      await search.search({ q: 'mt07 exhaust' });
      await search.search({ q: 'akrapovic', category: 'exhaust', brand: 'Akrapovič', status: 'verified' });
      await search.search({ q: 'exhaust', bikeId: BIKES.mt07_2021.bikeId, status: 'verified' });
      await search.search({ bikeId: BIKES.mt07_2021.bikeId, sort: 'price_asc' });
      const queries = sentQueries();
      // 1 page; 1 page + category + brand + status counts; 1 page + 4 bike status counts; the same.
      expect(queries).toHaveLength(1 + 4 + 5 + 5);
      for (const query of queries) expect(query).toMatchObject({ matchingStrategy: 'all' });
    });

    it('filters a category by its exact key, so Meilisearch cannot match another case', async () => {
      await search.search({ category: 'exhaust' });
      await search.search({ category: 'Exhaust' });
      // Each search: the page, then the category count without its own filter.
      const [exact, exactCount, otherCase] = sentQueries();
      expect(exactCount.filter).toEqual([]);
      expect(exact.filter).toEqual([`categoryKey = "${categoryKeyOf('exhaust')}"`]);
      expect(otherCase.filter).toEqual([`categoryKey = "${categoryKeyOf('Exhaust')}"`]);
      expect(categoryKeyOf('exhaust')).not.toBe(categoryKeyOf('Exhaust'));
    });

    it('sorts and filters prices by the asked currency\'s field alone', async () => {
      await search.search({ currency: 'EUR', sort: 'price_asc', minPriceCents: 1_000, maxPriceCents: 5_000 });
      await search.search({ sort: 'price_desc' });
      const [inEuros, inDefault] = sentQueries();
      expect(inEuros.sort).toEqual(['bestPrices.EUR:asc']);
      expect(inEuros.filter).toEqual(['bestPrices.EUR >= 1000', 'bestPrices.EUR <= 5000']);
      expect(inDefault.sort).toEqual(['bestPrices.USD:desc']);
    });

    it('sends unknown codes as phrases (no typos) and never passes query syntax through', async () => {
      await search.search({ q: 'ebc FA252HH' });
      await search.search({ q: 'mt07 -exhaust "slip on"' });
      await search.search({ q: 'cbr600rr screen' });
      expect(sentQueries().map((query) => query.q)).toEqual(['ebc "FA252HH"', 'mt07 exhaust slip', '"cbr600rr" screen']);
    });

    it('cuts a bike browse page from per-status slices, verified first, as PostgreSQL orders it', async () => {
      const bike = BIKES.mt07_2021.bikeId;
      const counts: Record<string, number> = { verified: 3, community: 2, disputed: 1, no_data: 0 };
      const part = toMeilisearchPart(FIXTURE.padsMt07);
      wire.answerSearches((query) => {
        const status = query.filter?.map((f) => /^fits = ".*:(\w+)"$/.exec(f)?.[1]).find(Boolean);
        if (status === undefined) return { totalHits: 6 };
        const total = counts[status];
        const offset = query.offset ?? 0;
        return { totalHits: total, hits: Array.from({ length: Math.max(0, Math.min(query.limit ?? total, total - offset)) }, () => part) };
      });
      const result = await search.search({ bikeId: bike, page: 2, limit: 2 });
      const slices = wire.operations().filter((r) => r.path === '/multi-search')[1].body as { queries: MultiSearchQueryBody[] };
      // Page 2 of 2 = the 3rd verified part and the 1st community one.
      expect(slices.queries.map((q) => ({ filter: q.filter?.at(-1), offset: q.offset, limit: q.limit }))).toEqual([
        { filter: `fits = "${bike}:verified"`, offset: 2, limit: 1 },
        { filter: `fits = "${bike}:community"`, offset: 0, limit: 1 },
      ]);
      expect(result.hits).toHaveLength(2);
      expect(result.total).toBe(6);
      expect(result.facets.status).toEqual([
        { value: 'verified', count: 3 },
        { value: 'community', count: 2 },
        { value: 'disputed', count: 1 },
      ]);
    });
  });

  describe('errors', () => {
    const indexNotFound = { message: 'Index `parts` not found.', code: 'index_not_found', type: 'invalid_request' } as const;

    it('maps an index that does not exist (404) to a transient SearchRequestRejected: the API answers 503', async () => {
      wire.refuse('POST', /^\/multi-search$/, 404, indexNotFound);
      const error = await search.search({ q: 'exhaust' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SearchUnavailable);
      expect(error).toBeInstanceOf(SearchRequestRejected);
      expect(error).toMatchObject({ status: 404, code: 'index_not_found', permanent: false });
    });

    it('maps an invalid request (400) to a permanent SearchRequestRejected', async () => {
      wire.refuse('PATCH', /\/settings$/, 400, { message: '`typoTolerance.minWordSizeForTypos` is invalid.', code: 'invalid_settings_typo_tolerance', type: 'invalid_request' });
      const error = await search.prepare().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SearchRequestRejected);
      expect(error).toMatchObject({ status: 400, code: 'invalid_settings_typo_tolerance', permanent: true });
    });

    it('maps a refused key (403) to a permanent SearchRequestRejected', async () => {
      wire.refuse('POST', /^\/multi-search$/, 403, { message: 'The provided API key is invalid.', code: 'invalid_api_key', type: 'auth' });
      const error = await search.search({ q: 'exhaust' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SearchUnavailable);
      expect(error).toMatchObject({ status: 403, code: 'invalid_api_key', permanent: true });
    });

    it('sends a batch over the payload limit (413) again in halves', async () => {
      wire.refuse('POST', /\/documents$/, 413, { message: 'The provided payload reached the size limit.', code: 'payload_too_large', type: 'invalid_request' });
      await search.upsert(FIXTURE_DOCUMENTS.slice(0, 4));
      const sizes = wire.operations().filter((r) => r.path.endsWith('/documents')).map((r) => (r.body as unknown[]).length);
      expect(sizes).toEqual([4, 2, 2]);
    });

    it('maps one document over the payload limit (413, even without a body) to a permanent error', async () => {
      wire.refuse('POST', /\/documents$/, 413, undefined, 10);
      const error = await search.upsert([FIXTURE.padsMt07]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SearchRequestRejected);
      expect(error).toMatchObject({ status: 413, code: 'payload_too_large', permanent: true });
    });

    it('maps a 5xx, a 429, a proxy page and no answer at all to a transient SearchUnavailable', async () => {
      wire.refuse('POST', /^\/multi-search$/, 503, { message: 'busy', code: 'internal', type: 'internal' });
      wire.refuse('POST', /^\/multi-search$/, 429, { message: 'too many', code: 'too_many_search_requests', type: 'system' });
      wire.refuse('POST', /^\/multi-search$/, 502, '<html><body>502 Bad Gateway</body></html>');
      for (let i = 0; i < 3; i += 1) {
        const error = await search.search({ q: 'exhaust' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SearchUnavailable);
        expect(error).not.toBeInstanceOf(SearchRequestRejected);
        expect(error).toMatchObject({ permanent: false });
      }
      const url = wire.url;
      await wire.close();
      wire = await startMeilisearchWireRecorder();
      const unreachable = createMeilisearchCatalogSearch({ url, requestTimeoutMs: 2_000 });
      const error = await unreachable.search({ q: 'exhaust' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SearchUnavailable);
      expect(error).toMatchObject({ permanent: false });
    });

    it('tells a failed task the engine calls invalid (permanent) from an internal one (transient)', async () => {
      wire.failNextTask('documentAdditionOrUpdate', { message: 'too many fields', code: 'max_fields_limit_exceeded', type: 'invalid_request' });
      wire.failNextTask('documentAdditionOrUpdate', { message: 'disk full', code: 'no_space_left_on_device', type: 'system' });
      const invalid = await search.upsert([FIXTURE.padsMt07]).catch((e: unknown) => e);
      const internal = await search.upsert([FIXTURE.padsMt07]).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(SearchTaskFailed);
      expect(invalid).toMatchObject({ code: 'max_fields_limit_exceeded', permanent: true });
      expect(internal).toMatchObject({ code: 'no_space_left_on_device', permanent: false });
    });
  });
});

/** Levenshtein distance, to state the contract's typo cases in numbers. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
