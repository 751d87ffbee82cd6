import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { bikeIdFor, partIdFor, retailerIdFor } from '@mpp/domain';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';

/**
 * `region` on every price-bearing read (DESIGN §10, docs/api.md "Regions"): it selects the rider's
 * currency, and no answer ranks, filters or sums amounts of two currencies against each other. The
 * catalog is built so that a read comparing plain numbers would get every order below wrong:
 * £109.99 and $109.99 are the same number, €1,254.99 is a smaller number than $1,303.99.
 */
const CATALOG = {
  bikes: [{ make: 'Yamaha', model: 'MT-07', year: 2021 }],
  parts: [
    { sku: 'RG-LEVERS', brand: 'ASV', name: 'F3 Levers', category: 'levers' },
    { sku: 'RG-SLIDERS', brand: 'R&G', name: 'Aero Frame Sliders', category: 'frame-sliders' },
    { sku: 'RG-SEAT', brand: 'Sargent', name: 'World Sport Seat', category: 'seats' },
    { sku: 'RG-EXHAUST', brand: 'Akrapovic', name: 'Racing Line', category: 'exhaust' },
  ],
  retailers: [
    { name: 'RevZilla', baseUrl: 'https://www.revzilla.com' },
    { name: 'SportsBikeShop', baseUrl: 'https://www.sportsbikeshop.co.uk' },
    { name: 'FC-Moto', baseUrl: 'https://www.fc-moto.de' },
  ],
  fitment: ['RG-LEVERS', 'RG-SLIDERS', 'RG-SEAT', 'RG-EXHAUST'].map((sku) => ({ sku, make: 'Yamaha', model: 'MT-07', years: [2021, 2021], source: 'manufacturer' })),
};
const BIKE = bikeIdFor(2021, 'Yamaha', 'MT-07');
const PART = { levers: partIdFor('RG-LEVERS'), sliders: partIdFor('RG-SLIDERS'), seat: partIdFor('RG-SEAT'), exhaust: partIdFor('RG-EXHAUST') };
const SHOP = { USD: retailerIdFor('RevZilla'), GBP: retailerIdFor('SportsBikeShop'), EUR: retailerIdFor('FC-Moto') };
const OFFERS: [string, keyof typeof SHOP, number][] = [
  [PART.levers, 'USD', 10_999],
  [PART.levers, 'GBP', 10_999],
  [PART.sliders, 'USD', 15_699],
  [PART.sliders, 'EUR', 16_699],
  [PART.seat, 'GBP', 14_999],
  [PART.exhaust, 'EUR', 125_499],
  [PART.exhaust, 'USD', 130_399],
];

interface Priced {
  priceCents: number;
  currency: string;
}

describe('region on price-bearing reads', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let position = 0;
  const http = () => request(api.app.getHttpServer());
  const get = (path: string) => http().get(path).set('X-Min-Position', String(position));
  const bikeParts = async (query: string) => (await get(`/api/bikes/${BIKE}/parts?${query}`).expect(200)).body;
  const partIds = (items: { part: { id: string } }[]) => items.map((item) => item.part.id);

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    admin = await signIn(api.app, 'region-admin@example.com', 'admin');
    const as = (req: request.Test) => req.set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrfToken);
    await as(http().post('/api/admin/catalog/import')).send(CATALOG).expect(201);
    for (const [partId, currency, priceCents] of OFFERS) {
      const res = await as(http().post('/api/admin/prices'))
        .send({ partId, retailerId: SHOP[currency], priceCents, currency, inStock: true, url: `https://shop.example/${partId}`, observedAt: new Date().toISOString() })
        .expect(201);
      position = res.body.position;
    }
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  describe('GET /api/bikes/:id/parts', () => {
    it('gives the best price in the region\'s currency and lists other currencies apart', async () => {
      const body = await bikeParts('region=DE');
      expect(body).toMatchObject({ region: 'DE', currency: 'EUR' });
      const exhaust = body.items.find((item: { part: { id: string } }) => item.part.id === PART.exhaust);
      expect(exhaust.bestPrice).toMatchObject({ priceCents: 125_499, currency: 'EUR', retailer: { name: 'FC-Moto' } });
      expect(exhaust.otherPrices).toEqual([expect.objectContaining({ priceCents: 130_399, currency: 'USD', retailer: expect.objectContaining({ name: 'RevZilla' }) })]);
      const seat = body.items.find((item: { part: { id: string } }) => item.part.id === PART.seat);
      expect(seat.bestPrice).toBeNull();
      expect(seat.otherPrices).toEqual([expect.objectContaining({ priceCents: 14_999, currency: 'GBP' })]);
    });

    it.each([
      ['GB', 'price_asc', [PART.levers, PART.seat], 'GBP'],
      ['US', 'price_asc', [PART.levers, PART.sliders, PART.exhaust], 'USD'],
      ['DE', 'price_asc', [PART.sliders, PART.exhaust], 'EUR'],
      ['DE', 'price_desc', [PART.exhaust, PART.sliders], 'EUR'],
    ] as const)('sorts region=%s by %s within %s... never interleaving a currency', async (region, sort, priced, currency) => {
      const body = await bikeParts(`region=${region}&sort=${sort}`);
      const bestPrices: (Priced | null)[] = body.items.map((item: { bestPrice: Priced | null }) => item.bestPrice);
      expect(partIds(body.items).slice(0, priced.length)).toEqual(priced);
      expect(bestPrices.slice(0, priced.length).every((price) => price?.currency === currency)).toBe(true);
      // Parts without an offer in the rider's currency come after all that have one.
      expect(bestPrices.slice(priced.length).every((price) => price === null)).toBe(true);
      expect(body.total).toBe(4);
    });

    it('answers for the default region (US, dollars) when none is given, and says so', async () => {
      const body = await bikeParts('sort=price_asc');
      expect(body).toMatchObject({ region: 'US', currency: 'USD' });
      expect(partIds(body.items)).toEqual(partIds((await bikeParts('region=US&sort=price_asc')).items));
    });

    it('filters prices in the region\'s currency', async () => {
      expect(partIds((await bikeParts('region=GB&maxPrice=12000')).items)).toEqual([PART.levers]);
      expect(partIds((await bikeParts('region=GB&minPrice=12000')).items)).toEqual([PART.seat]);
      expect(partIds((await bikeParts('region=DE&maxPrice=20000')).items)).toEqual([PART.sliders]);
      // 109.99 is a price in pounds and dollars, but a filter in euros never sees either.
      expect((await bikeParts('region=DE&maxPrice=12000')).total).toBe(0);
      expect(partIds((await bikeParts('maxPrice=12000')).items)).toEqual([PART.levers]);
    });

    it('caches each region apart: the same path in another region is another answer and another ETag', async () => {
      const gb = await get(`/api/bikes/${BIKE}/parts?region=GB&sort=price_asc`).expect(200);
      const de = await get(`/api/bikes/${BIKE}/parts?sort=price_asc&region=DE`).expect(200);
      expect(gb.body.currency).toBe('GBP');
      expect(de.body.currency).toBe('EUR');
      expect(de.headers.etag).not.toBe(gb.headers.etag);
      await get(`/api/bikes/${BIKE}/parts?sort=price_asc&region=GB`).set('If-None-Match', gb.headers.etag!).expect(304);
      const again = await get(`/api/bikes/${BIKE}/parts?region=DE&sort=price_asc`).set('If-None-Match', gb.headers.etag!).expect(200);
      expect(again.body.currency).toBe('EUR');
    });
  });

  describe('GET /api/parts/:id and /api/prices/:id', () => {
    it('names the best price in the region\'s currency, not the smallest number', async () => {
      const us = (await get(`/api/parts/${PART.exhaust}?region=US`).expect(200)).body;
      expect(us).toMatchObject({ region: 'US', currency: 'USD', bestPrice: { priceCents: 130_399, currency: 'USD' } });
      const de = (await get(`/api/parts/${PART.exhaust}?region=DE`).expect(200)).body;
      expect(de.bestPrice).toMatchObject({ priceCents: 125_499, currency: 'EUR' });
      expect((await get(`/api/parts/${PART.seat}?region=US`).expect(200)).body.bestPrice).toBeNull();
    });

    it('orders offers by currency, the region\'s first, each currency\'s offers together', async () => {
      const currencies = (items: Priced[]) => items.map((offer) => offer.currency);
      expect(currencies((await get(`/api/parts/${PART.sliders}?region=DE`).expect(200)).body.prices)).toEqual(['EUR', 'USD']);
      expect(currencies((await get(`/api/parts/${PART.sliders}?region=US`).expect(200)).body.prices)).toEqual(['USD', 'EUR']);
      const current = (await get(`/api/prices/${PART.levers}?region=GB`).expect(200)).body;
      expect(current).toMatchObject({ region: 'GB', currency: 'GBP' });
      expect(currencies(current.items)).toEqual(['GBP', 'USD']);
    });

    it('labels the price history with the region\'s currency and every currency drawn', async () => {
      const history = (await get(`/api/prices/${PART.exhaust}/history?region=DE`).expect(200)).body;
      expect(history).toMatchObject({ region: 'DE', currency: 'EUR', currencies: ['EUR', 'USD'] });
      expect(history.items).toEqual(expect.arrayContaining([expect.objectContaining({ priceCents: 125_499, currency: 'EUR' }), expect.objectContaining({ priceCents: 130_399, currency: 'USD' })]));
    });
  });

  describe('GET /api/search', () => {
    it('sorts by price in the region\'s currency, the parts without one after, and filters in it', async () => {
      const body = (await get('/api/search?region=GB&sort=price_asc').expect(200)).body;
      expect(body).toMatchObject({ region: 'GB', currency: 'GBP' });
      const hits: { id: string; bestPriceCents: number | null; currency: string | null; otherPrices: Priced[] }[] = body.hits;
      expect(hits.slice(0, 2).map((hit) => [hit.id, hit.bestPriceCents, hit.currency])).toEqual([
        [PART.levers, 10_999, 'GBP'],
        [PART.seat, 14_999, 'GBP'],
      ]);
      expect(hits.slice(2).every((hit) => hit.bestPriceCents === null && hit.currency === null)).toBe(true);
      expect(hits.find((hit) => hit.id === PART.exhaust)?.otherPrices).toEqual([
        { currency: 'EUR', priceCents: 125_499 },
        { currency: 'USD', priceCents: 130_399 },
      ]);
      const cheapInEuros = (await get('/api/search?region=DE&maxPrice=20000').expect(200)).body;
      expect(cheapInEuros.hits.map((hit: { id: string }) => hit.id)).toEqual([PART.sliders]);
    });
  });

  it.each([
    `/api/bikes/${BIKE}/parts`,
    `/api/parts/${PART.levers}`,
    `/api/prices/${PART.levers}`,
    `/api/prices/${PART.levers}/history`,
    '/api/search',
  ])('refuses a region it does not serve on %s with a 400 naming the field', async (path) => {
    const res = await http().get(`${path}?region=JP`).expect(400);
    expect(res.body.errors.map((error: { field: string }) => error.field)).toEqual(['region']);
  });
});
