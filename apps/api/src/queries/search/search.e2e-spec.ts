import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

/** GET /api/search over documents the real projector built from real commands (embedded default: PostgreSQL). */
describe('GET /api/search', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let position = 0;
  const http = () => request(api.app.getHttpServer());
  const search = (query: string, at = position) => http().get(`/api/search${query}`).set('X-Min-Position', String(at));
  const post = (path: string, who: SignedIn, body: object) => http().post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    position = await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'search-admin@example.com', 'admin');
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('finds a part through a mistyped word, with facets and the engine that answered', async () => {
    const res = await search('?q=akrapovik').expect(200);
    expect(res.headers['x-consistent']).toBe('true');
    expect(res.body).toMatchObject({ engine: 'postgres', total: 1, page: 1, limit: 24 });
    expect(res.body.hits[0]).toMatchObject({ id: IDS.exhaust, sku: 'AK-MT07-SO', brand: 'Akrapovic', category: 'exhaust', status: null, bestPriceCents: null });
    expect(res.body.facets).toEqual({ category: [{ value: 'exhaust', count: 1 }], brand: [{ value: 'Akrapovic', count: 1 }], status: [{ value: 'verified', count: 1 }] });
  });

  it('ranks the exact SKU first and understands the FZ-07 alias', async () => {
    expect((await search('?q=ebc%20fa252hh').expect(200)).body.hits[0].id).toBe(IDS.pads);
    expect((await search('?q=fz07%20exhaust').expect(200)).body.hits.map((h: { id: string }) => h.id)).toEqual([IDS.exhaust]);
  });

  it('filters by bike and shows the pair status', async () => {
    const res = await search(`?bikeId=${IDS.mt07_2021}`).expect(200);
    expect(res.body.hits).toEqual([expect.objectContaining({ id: IDS.exhaust, status: 'verified' })]);
    expect(res.body.total).toBe(1);
  });

  it('reflects a new verification and a new price within the projection lag', async () => {
    const rider = await signIn(api.app, 'search-rider@example.com');
    const verified = await post('/api/verifications', rider, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true }).expect(201);
    const afterVerification = await search(`?bikeId=${IDS.mt07_2021}&status=community`, verified.body.position).expect(200);
    expect(afterVerification.headers['x-consistent']).toBe('true');
    expect(afterVerification.body.hits).toEqual([expect.objectContaining({ id: IDS.pads, status: 'community', confirmations: 1, refutations: 0 })]);

    const priced = await post('/api/admin/prices', admin, {
      partId: IDS.pads,
      retailerId: IDS.revzilla,
      priceCents: 4_500,
      currency: 'USD',
      inStock: true,
      url: 'https://www.revzilla.com/p/fa252hh',
      observedAt: new Date().toISOString(),
    }).expect(201);
    const afterPrice = await search('?q=sintered&maxPrice=5000', priced.body.position).expect(200);
    expect(afterPrice.headers['x-consistent']).toBe('true');
    expect(afterPrice.body.hits).toEqual([expect.objectContaining({ id: IDS.pads, bestPriceCents: 4_500, currency: 'USD' })]);
  });

  it('answers an empty query by browsing everything with facets', async () => {
    const res = await search('?q=').expect(200);
    expect(res.body.total).toBe(2);
    expect(res.body.facets.category).toHaveLength(2);
  });

  it('keeps only the parts that fit the rider\'s bike with fits=true', async () => {
    const rider = await signIn(api.app, 'search-refuter@example.com');
    const refuted = await post('/api/verifications', rider, { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: false }).expect(201);
    const known = await search(`?bikeId=${IDS.mt07_2022}`, refuted.body.position).expect(200);
    expect(known.body.hits.map((hit: { id: string; status: string }) => [hit.id, hit.status]).sort()).toEqual(
      [[IDS.exhaust, 'verified'], [IDS.pads, 'disputed']].sort(),
    );
    const fitting = await search(`?bikeId=${IDS.mt07_2022}&fits=true`, refuted.body.position).expect(200);
    expect(fitting.body.hits.map((hit: { id: string }) => hit.id)).toEqual([IDS.exhaust]);
    expect(fitting.body.total).toBe(1);
  });

  it('rejects invalid parameters with a 400 problem naming the field', async () => {
    const cases: [string, string][] = [
      [`?q=${'x'.repeat(300)}`, 'q'],
      ['?bikeId=not-a-uuid', 'bikeId'],
      ['?sort=cheapest', 'sort'],
      ['?limit=0', 'limit'],
      ['?category=rockets', 'category'],
      ['?minPrice=-1', 'minPrice'],
      ['?page=1000', 'page'],
      ['?fits=true', 'fits'],
      ['?fits=maybe', 'fits'],
      ['?region=JP', 'region'],
    ];
    for (const [query, field] of cases) {
      const res = await search(query);
      expect({ query, status: res.status, type: res.headers['content-type'] }).toEqual({ query, status: 400, type: expect.stringMatching(/problem\+json/) });
      expect({ query, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({ query, fields: expect.arrayContaining([field]) });
    }
  });
});
