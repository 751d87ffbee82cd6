import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ValidationFailed } from '@mpp/domain';
import type { CatalogSearch, SearchQuery, SearchResult } from './catalog-search.port.js';
import { BIKES, FIXTURE, FIXTURE_DOCUMENTS } from './testing/fixture-catalog.js';

export interface CatalogSearchContractSetup {
  /** A search over an empty index of its own. */
  createSearch(): Promise<CatalogSearch>;
  /** Removes what createSearch made (an index, a database). */
  dispose(search: CatalogSearch): Promise<void>;
}

/**
 * The promises of the search port (issue 6, DESIGN §6), which every adapter keeps. Each adapter's
 * int-spec calls this with a factory; the fixture catalog is loaded once through `upsert`.
 */
export function catalogSearchContract(setup: CatalogSearchContractSetup): void {
  describe('catalog search contract', () => {
    let search: CatalogSearch;
    const find = (query: SearchQuery): Promise<SearchResult> => search.search(query);
    const ids = (result: SearchResult) => result.hits.map((hit) => hit.id);
    const skus = (result: SearchResult) => result.hits.map((hit) => hit.sku);

    beforeAll(async () => {
      search = await setup.createSearch();
      await search.prepare();
      await search.upsert(FIXTURE_DOCUMENTS);
    });
    afterAll(async () => {
      await setup.dispose(search);
    });

    describe('relevance', () => {
      it('ranks the exact SKU first, however it is typed', async () => {
        for (const q of ['ebc fa252hh', 'FA252HH', 'fa-252-hh', 'EBC FA 252 HH']) {
          const result = await find({ q });
          expect({ q, first: result.hits[0]?.sku }).toEqual({ q, first: 'FA252HH' });
        }
      });

      it('does not take a SKU one character off for the exact one', async () => {
        expect(skus(await find({ q: 'fa252hh' }))).not.toContain('FA196HH');
      });

      it('finds a part through a word with one typo', async () => {
        expect(ids(await find({ q: 'akrapovik' }))).toEqual(expect.arrayContaining([FIXTURE.akrapovicMt07.id, FIXTURE.akrapovicNinja.id]));
        const exhausts = ids(await find({ q: 'exaust' }));
        expect(exhausts).toEqual(expect.arrayContaining([FIXTURE.akrapovicMt07.id, FIXTURE.scProjectMt07.id, FIXTURE.akrapovicNinja.id]));
        expect(exhausts).not.toContain(FIXTURE.padsMt07.id);
      });

      it('finds a part through a word with two typos', async () => {
        expect(ids(await find({ q: 'akrapvik' }))).toEqual(expect.arrayContaining([FIXTURE.akrapovicMt07.id, FIXTURE.akrapovicNinja.id]));
      });

      it('ignores accents on both sides', async () => {
        expect(ids(await find({ q: 'akrapovic' }))).toEqual(expect.arrayContaining([FIXTURE.akrapovicMt07.id, FIXTURE.akrapovicNinja.id]));
        expect(ids(await find({ q: 'AKRAPOVIČ slip-on' }))[0]).toBe(FIXTURE.akrapovicMt07.id);
      });

      it('understands model aliases: mt07 and fz-07 find the MT-07 parts', async () => {
        const mt07Exhausts = await find({ q: 'mt07 exhaust' });
        expect(ids(mt07Exhausts).sort()).toEqual([FIXTURE.akrapovicMt07.id, FIXTURE.scProjectMt07.id].sort());
        const fz07 = ids(await find({ q: 'fz-07' }));
        expect(fz07.sort()).toEqual([FIXTURE.padsMt07.id, FIXTURE.akrapovicMt07.id, FIXTURE.scProjectMt07.id, FIXTURE.slidersMt07.id].sort());
        expect(ids(await find({ q: 'fz07 exhaust' })).sort()).toEqual(ids(mt07Exhausts).sort());
      });

      it('finds frame sliders for the Ninja 400, by its name or its code', async () => {
        for (const q of ['frame sliders ninja 400', 'frame sliders ninja400', 'ex400 frame sliders']) {
          const result = await find({ q });
          expect({ q, first: result.hits[0]?.id }).toEqual({ q, first: FIXTURE.slidersNinja.id });
          expect({ q, ids: ids(result) }).not.toEqual({ q, ids: expect.arrayContaining([FIXTURE.slidersMt07.id]) });
        }
      });

      it('matches other model codes however they are written', async () => {
        expect(ids(await find({ q: 'r1250gs' }))).toEqual([FIXTURE.crashBarsGs.id]);
        expect(ids(await find({ q: 'gs1250 crash bars' }))).toEqual([FIXTURE.crashBarsGs.id]);
        expect(ids(await find({ q: 'cbr650r' }))).toEqual([FIXTURE.screenCbr.id]);
      });

      it('finds by model year, brand and bike together', async () => {
        const result = await find({ q: 'akrapovic 2019 yamaha' });
        expect(ids(result)).toEqual([FIXTURE.akrapovicMt07.id]);
      });

      it('requires every word: one word no part has empties the hits, the total and the facets', async () => {
        const result = await find({ q: 'akrapovic zzqxj' });
        expect(result).toMatchObject({ hits: [], total: 0, facets: { category: [], brand: [], status: [] } });
      });

      it('ignores stop words, and browses when there is nothing else', async () => {
        expect(ids(await find({ q: 'exhaust for the mt07' })).sort()).toEqual([FIXTURE.akrapovicMt07.id, FIXTURE.scProjectMt07.id].sort());
        expect((await find({ q: 'the for' })).total).toBe(FIXTURE_DOCUMENTS.length);
      });

      it('does not correct a model code with digits into another bike', async () => {
        // cbr600rr is two edits from the CBR650R of the fixture; r1200gs one from the R 1250 GS.
        expect(await find({ q: 'cbr600rr' })).toMatchObject({ hits: [], total: 0 });
        expect(await find({ q: 'r1200gs' })).toMatchObject({ hits: [], total: 0 });
      });

      it('finds nothing, without failing, for words no part has', async () => {
        const result = await find({ q: 'zzqxj' });
        expect(result).toMatchObject({ hits: [], total: 0 });
      });
    });

    describe('filters', () => {
      it('returns only parts known for the bike, with the pair status and its counts', async () => {
        const result = await find({ bikeId: BIKES.ninja400_2020.bikeId });
        expect(ids(result).sort()).toEqual([FIXTURE.padsNinja.id, FIXTURE.akrapovicNinja.id, FIXTURE.slidersNinja.id].sort());
        expect(result.total).toBe(3);
        const exhaust = result.hits.find((hit) => hit.id === FIXTURE.akrapovicNinja.id);
        expect(exhaust).toMatchObject({ status: 'community', confirmations: 4, refutations: 1 });
      });

      it('combines text with a bike: the MT-07 exhausts of the 2021 model only', async () => {
        const result = await find({ q: 'exhaust', bikeId: BIKES.mt07_2021.bikeId });
        expect(ids(result).sort()).toEqual([FIXTURE.akrapovicMt07.id, FIXTURE.scProjectMt07.id].sort());
      });

      it('puts the strongest evidence for the bike first when browsing it', async () => {
        const result = await find({ bikeId: BIKES.mt07_2021.bikeId, category: 'exhaust' });
        expect(result.hits.map((hit) => [hit.id, hit.status])).toEqual([
          [FIXTURE.akrapovicMt07.id, 'verified'],
          [FIXTURE.scProjectMt07.id, 'disputed'],
        ]);
      });

      it("orders a bike's parts by that bike's evidence, not the parts' totals over all bikes", async () => {
        // Racing Line has 4 confirmations on the Ninja but is only community there; the pads are verified with none.
        const result = await find({ bikeId: BIKES.ninja400_2020.bikeId });
        expect(result.hits.map((hit) => [hit.id, hit.status])).toEqual([
          [FIXTURE.slidersNinja.id, 'verified'],
          [FIXTURE.padsNinja.id, 'verified'],
          [FIXTURE.akrapovicNinja.id, 'community'],
        ]);
      });

      it('filters a category exactly: another case of the key finds nothing', async () => {
        expect(await find({ category: 'Exhaust' })).toMatchObject({ hits: [], total: 0 });
      });

      it('filters a bike by status', async () => {
        const result = await find({ bikeId: BIKES.mt07_2021.bikeId, status: 'verified' });
        expect(ids(result).sort()).toEqual([FIXTURE.padsMt07.id, FIXTURE.akrapovicMt07.id].sort());
      });

      it('keeps only the parts that fit a bike (verified or community) when asked', async () => {
        const fitting = await find({ bikeId: BIKES.mt07_2021.bikeId, fits: true, limit: 100 });
        expect(fitting.total).toBe(3);
        expect(fitting.hits.every((hit) => hit.status === 'verified' || hit.status === 'community')).toBe(true);
        expect(ids(fitting)).not.toContain(FIXTURE.scProjectMt07.id);
      });

      it('filters by status over all bikes, category, brand (any case) and price range', async () => {
        expect(ids(await find({ status: 'disputed' }))).toEqual([FIXTURE.scProjectMt07.id]);
        expect(ids(await find({ category: 'frame-sliders' })).sort()).toEqual([FIXTURE.slidersNinja.id, FIXTURE.slidersMt07.id].sort());
        expect(ids(await find({ brand: 'akrapovič' })).sort()).toEqual([FIXTURE.akrapovicMt07.id, FIXTURE.akrapovicNinja.id].sort());
        // The range is in dollars (the default currency): the €89 screen is not in it.
        const midRange = await find({ minPriceCents: 8_900, maxPriceCents: 79_900 });
        expect(ids(midRange).sort()).toEqual([FIXTURE.scProjectMt07.id, FIXTURE.slidersNinja.id, FIXTURE.slidersMt07.id].sort());
      });

      it('filters a price range in the asked currency alone', async () => {
        expect(ids(await find({ currency: 'EUR', minPriceCents: 8_900, maxPriceCents: 79_900 }))).toEqual([FIXTURE.screenCbr.id]);
        expect(ids(await find({ currency: 'GBP', minPriceCents: 0 }))).toEqual([]);
      });

      it('shows null status and the totals over all bikes when no bike is chosen', async () => {
        const [hit] = (await find({ q: 'FA252HH' })).hits;
        expect(hit).toEqual({
          id: FIXTURE.padsMt07.id,
          slug: 'ebc-hh-sintered-brake-pads',
          sku: 'FA252HH',
          brand: 'EBC',
          name: 'HH Sintered Brake Pads',
          category: 'brake-pads',
          description: 'Sintered front pads for strong wet braking.',
          bestPriceCents: 4_500,
          currency: 'USD',
          otherPrices: [],
          status: null,
          confirmations: 3,
          refutations: 0,
        });
      });
    });

    describe('facets', () => {
      it('counts categories, brands and the bike statuses of the matches', async () => {
        const { facets, total, exhaustive } = await find({ bikeId: BIKES.mt07_2021.bikeId });
        expect(total).toBe(4);
        expect(exhaustive).toEqual({ total: true, facets: true });
        expect(facets.category).toEqual([
          { value: 'exhaust', count: 2 },
          { value: 'brake-pads', count: 1 },
          { value: 'frame-sliders', count: 1 },
        ]);
        expect(facets.brand).toEqual([
          { value: 'Akrapovič', count: 1 },
          { value: 'EBC', count: 1 },
          { value: 'SC-Project', count: 1 },
          { value: 'Womet-Tech', count: 1 },
        ]);
        expect(facets.status).toEqual([
          { value: 'verified', count: 2 },
          { value: 'community', count: 1 },
          { value: 'disputed', count: 1 },
        ]);
      });

      it('counts each facet without its own filter, so the other choices stay visible', async () => {
        const { facets, total } = await find({ bikeId: BIKES.mt07_2021.bikeId, category: 'exhaust', status: 'verified' });
        expect(total).toBe(1);
        expect(facets.category).toEqual([
          { value: 'brake-pads', count: 1 },
          { value: 'exhaust', count: 1 },
        ]);
        expect(facets.status).toEqual([
          { value: 'disputed', count: 1 },
          { value: 'verified', count: 1 },
        ]);
        expect(facets.brand).toEqual([{ value: 'Akrapovič', count: 1 }]);
      });

      it('counts a part under each status it has on some bike when no bike is chosen', async () => {
        const { facets } = await find({ category: 'brake-pads' });
        expect(facets.status).toEqual([
          { value: 'verified', count: 2 },
          { value: 'community', count: 1 },
        ]);
      });
    });

    describe('sorting and paging', () => {
      it('sorts by price both ways, parts without a price last', async () => {
        const ascending = await find({ sort: 'price_asc', limit: 100 });
        const prices = ascending.hits.map((hit) => hit.bestPriceCents);
        // In dollars: the screen priced only in euros has no dollar price and goes last with the unpriced part.
        expect(prices).toEqual([1_200, 3_900, 4_500, 11_900, 13_900, 79_900, 89_900, 99_900, null, null]);
        expect(ascending.hits.filter((hit) => hit.bestPriceCents !== null).every((hit) => hit.currency === 'USD')).toBe(true);
        const descending = await find({ sort: 'price_desc', category: 'exhaust' });
        expect(descending.hits.map((hit) => hit.bestPriceCents)).toEqual([99_900, 89_900, 79_900]);
      });

      it('sorts in the asked currency alone, its offers first and the others apart, never interleaved', async () => {
        const inEuros = await find({ sort: 'price_asc', currency: 'EUR', limit: 100 });
        expect(inEuros.hits[0]).toMatchObject({ id: FIXTURE.screenCbr.id, bestPriceCents: 8_900, currency: 'EUR', otherPrices: [] });
        expect(inEuros.hits.slice(1).every((hit) => hit.bestPriceCents === null && hit.currency === null)).toBe(true);
        const padsInEuros = inEuros.hits.find((hit) => hit.id === FIXTURE.padsMt07.id);
        expect(padsInEuros?.otherPrices).toEqual([{ currency: 'USD', priceCents: 4_500 }]);
      });

      it('sorts by verifications: most confirmations first', async () => {
        const result = await find({ sort: 'verifications', category: 'exhaust' });
        expect(ids(result)).toEqual([FIXTURE.akrapovicNinja.id, FIXTURE.akrapovicMt07.id, FIXTURE.scProjectMt07.id]);
      });

      it('pages through the results with a stable total', async () => {
        const first = await find({ sort: 'price_asc', limit: 4, page: 1 });
        const second = await find({ sort: 'price_asc', limit: 4, page: 2 });
        const third = await find({ sort: 'price_asc', limit: 4, page: 3 });
        expect([first.total, second.total, third.total]).toEqual([10, 10, 10]);
        expect([...ids(first), ...ids(second), ...ids(third)]).toHaveLength(10);
        expect(new Set([...ids(first), ...ids(second), ...ids(third)]).size).toBe(10);
        expect(second).toMatchObject({ page: 2, limit: 4 });
      });
    });

    describe('edge queries', () => {
      it('answers an empty query with everything and its facets (browse)', async () => {
        for (const q of [undefined, '', '   ']) {
          const result = await find({ q });
          expect(result.total).toBe(FIXTURE_DOCUMENTS.length);
          expect(result.exhaustive).toEqual({ total: true, facets: true });
          expect(result.engine).toBe(search.engine);
          expect(result.facets.category.reduce((sum, f) => sum + f.count, 0)).toBe(FIXTURE_DOCUMENTS.length);
        }
      });

      it('rejects a 300-character query with a validation error naming q', async () => {
        const error = await find({ q: 'exhaust '.repeat(38).slice(0, 300) }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationFailed);
        expect((error as ValidationFailed).field).toBe('q');
      });

      it('rejects paging past the reachable results, and a limit out of range, naming the field', async () => {
        await expect(find({ page: 1_000 })).rejects.toMatchObject({ field: 'page' });
        await expect(find({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
      });

      it('treats query syntax as plain words', async () => {
        for (const q of ["brake & pads | ' : * ( ! <->", 'category = "exhaust" OR 1=1', '%_\\']) {
          await expect(find({ q })).resolves.toMatchObject({ engine: search.engine });
        }
      });

      it('replaces a document on a second upsert with the same id', async () => {
        await search.upsert([{ ...FIXTURE.sparkPlug, name: 'Iridium IX Spark Plug Laser', updatedPosition: 99 }]);
        const result = await find({ q: 'laser' });
        expect(ids(result)).toEqual([FIXTURE.sparkPlug.id]);
        expect((await find({})).total).toBe(FIXTURE_DOCUMENTS.length);
        await search.upsert([FIXTURE.sparkPlug]);
      });
    });
  });
}
