import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { fitmentStream } from '@mpp/domain';
import { editEventMetadata } from '@mpp/testing';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

/** Query endpoints against read models built by the real projector from real commands. */
describe('query API over projected read models', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let rider: SignedIn;
  let position = 0;
  let verificationTime: string;
  const http = () => request(api.app.getHttpServer());
  const get = (path: string) => http().get(path).set('X-Min-Position', String(position));
  const post = (path: string, who: SignedIn, body: object) => http().post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    position = await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'prices@example.com', 'admin');
    rider = await signIn(api.app, 'sam@example.com');
    const now = Date.now();
    const observe = async (partId: string, priceCents: number, observedAt: Date, inStock = true) => {
      const res = await post('/api/admin/prices', admin, {
        partId,
        retailerId: IDS.revzilla,
        priceCents,
        currency: 'USD',
        inStock,
        url: `https://www.revzilla.com/p/${partId}`,
        observedAt: observedAt.toISOString(),
      }).expect(201);
      position = Math.max(position, res.body.position);
    };
    await observe(IDS.exhaust, 99_900, new Date(now - 3 * 86_400_000));
    await observe(IDS.exhaust, 89_900, new Date(now - 3600_000));
    await observe(IDS.pads, 4_500, new Date(now - 2 * 86_400_000));
    const verified = await post('/api/verifications', rider, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true, notes: 'Fronts, perfect' }).expect(201);
    position = verified.body.position;
    // "Before the verification" is the millisecond before the time its event states, as the API's clock gave it.
    const event = await api.db.knex('events').where({ event_id: verified.body.eventId }).first('metadata');
    verificationTime = new Date(Date.parse(event.metadata.occurredAt) - 1).toISOString();
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('lists bikes with filters and free text', async () => {
    const all = await get('/api/bikes').expect(200);
    expect(all.headers['x-consistent']).toBe('true');
    expect(all.body).toMatchObject({ total: 2, page: 1 });
    expect(all.body.items[0]).toEqual({ id: IDS.mt07_2022, slug: '2022-yamaha-mt-07', year: 2022, make: 'Yamaha', model: 'MT-07', trim: null, engineCc: 689 });
    expect((await get('/api/bikes?year=2021').expect(200)).body.items.map((b: { id: string }) => b.id)).toEqual([IDS.mt07_2021]);
    expect((await get('/api/bikes?q=mt-07%202021').expect(200)).body.total).toBe(1);
    await get('/api/bikes?year=abc').expect(400);
  });

  it('answers the cascade options step by step', async () => {
    expect((await get('/api/bikes/options').expect(200)).body).toEqual({ years: [2022, 2021], makes: [], models: [] });
    expect((await get('/api/bikes/options?year=2021').expect(200)).body.makes).toEqual(['Yamaha']);
    expect((await get('/api/bikes/options?year=2021&make=yamaha').expect(200)).body.models).toEqual(['MT-07']);
  });

  it('finds a bike by id or slug, and answers 404 problem+json otherwise', async () => {
    expect((await get('/api/bikes/2021-yamaha-mt-07').expect(200)).body.id).toBe(IDS.mt07_2021);
    expect((await get(`/api/bikes/${IDS.mt07_2021}`).expect(200)).body.slug).toBe('2021-yamaha-mt-07');
    const missing = await get('/api/bikes/1999-nope-nothing').expect(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
  });

  it('lists the parts of a bike with status, evidence, best price and facets', async () => {
    const res = await get('/api/bikes/2021-yamaha-mt-07/parts').expect(200);
    expect(res.body.bike.id).toBe(IDS.mt07_2021);
    expect(res.body.total).toBe(2);
    const byId = Object.fromEntries(res.body.items.map((i: { part: { id: string } }) => [i.part.id, i]));
    expect(byId[IDS.exhaust]).toMatchObject({ status: 'verified', confirmations: 0, bestPrice: { priceCents: 89_900, stale: false, retailer: { name: 'RevZilla' } } });
    expect(byId[IDS.pads]).toMatchObject({ status: 'community', confirmations: 1, refutations: 0, bestPrice: { priceCents: 4_500, stale: true } });
    expect(res.body.items[0].part.id).toBe(IDS.exhaust);
    expect(res.body.facets.status).toEqual([
      { value: 'community', count: 1 },
      { value: 'verified', count: 1 },
    ]);
    const filtered = await get('/api/bikes/2021-yamaha-mt-07/parts?category=brake-pads').expect(200);
    expect(filtered.body.items.map((i: { part: { id: string } }) => i.part.id)).toEqual([IDS.pads]);
    expect(filtered.body.facets.category).toHaveLength(2);
    const cheap = await get('/api/bikes/2021-yamaha-mt-07/parts?maxPrice=10000&sort=price_asc').expect(200);
    expect(cheap.body.total).toBe(1);
    const bad = await get('/api/bikes/2021-yamaha-mt-07/parts?category=rockets&sort=random').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'sort']);
  });

  it('shows a part with its prices and the bikes it fits', async () => {
    const res = await get('/api/parts/akrapovic-slip-on-line-titanium').expect(200);
    expect(res.body).toMatchObject({ id: IDS.exhaust, sku: 'AK-MT07-SO', brand: 'Akrapovic', category: 'exhaust' });
    expect(res.body.prices).toEqual([expect.objectContaining({ priceCents: 89_900, currency: 'USD', inStock: true, stale: false })]);
    expect(res.body.fitment.map((f: { bike: { id: string }; status: string }) => [f.bike.id, f.status]).sort()).toEqual(
      [
        [IDS.mt07_2021, 'verified'],
        [IDS.mt07_2022, 'verified'],
      ].sort(),
    );
  });

  it('gives the verification audit trail with contributor names and a valid chain', async () => {
    const res = await get(`/api/parts/${IDS.pads}/verifications`).expect(200);
    expect(res.body.chainValid).toBe(true);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        bikeId: IDS.mt07_2021,
        fits: true,
        notes: 'Fronts, perfect',
        contributor: { displayName: 'sam' },
        state: 'active',
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        prevHash: '0'.repeat(64),
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('sam@example.com');
  });

  it('gives the same trail for the part named by its slug, and 404 problem+json for a part that does not exist', async () => {
    // The handler looks a part named by its id up beside its trail, and one named by its slug first.
    const byId = await get(`/api/parts/${IDS.pads}/verifications`).expect(200);
    const part = await get(`/api/parts/${IDS.pads}`).expect(200);
    const bySlug = await get(`/api/parts/${part.body.slug}/verifications`).expect(200);
    expect(bySlug.body).toEqual(byId.body);
    const missing = await get('/api/parts/00000000-0000-4000-8000-00000000dead/verifications').expect(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    await get('/api/parts/no-such-part-slug/verifications').expect(404);
  });

  it('answers compatibility now and as it stood before the verification (time travel)', async () => {
    const now = await get(`/api/parts/${IDS.pads}/compatibility?bikeId=${IDS.mt07_2021}`).expect(200);
    expect(now.body).toMatchObject({ status: 'community', confirmations: 1 });
    const before = await get(`/api/parts/${IDS.pads}/compatibility?bikeId=${IDS.mt07_2021}&asOf=${encodeURIComponent(verificationTime)}`).expect(200);
    expect(before.body).toMatchObject({ status: 'no_data', confirmations: 0 });
    await get(`/api/parts/${IDS.pads}/compatibility?bikeId=${IDS.mt07_2021}&asOf=yesterday`).expect(400);
  });

  it('lists current prices and the daily minimum history', async () => {
    const current = await get(`/api/prices/${IDS.exhaust}`).expect(200);
    expect(current.body.items).toHaveLength(1);
    const history = await get(`/api/prices/${IDS.exhaust}/history?days=7`).expect(200);
    expect(history.body.items.map((p: { priceCents: number }) => p.priceCents)).toEqual([99_900, 89_900]);
    await get('/api/prices/not-a-uuid').expect(400);
  });

  it('lists the newest visible verifications across the catalog', async () => {
    const res = await get('/api/verifications/recent?limit=5').expect(200);
    expect(res.body.items[0]).toMatchObject({ fits: true, contributor: { displayName: 'sam' }, part: { id: IDS.pads }, bike: { slug: '2021-yamaha-mt-07' } });
  });

  it('lists retailers', async () => {
    expect((await get('/api/retailers').expect(200)).body.items).toEqual([{ id: IDS.revzilla, name: 'RevZilla', baseUrl: 'https://www.revzilla.com/' }]);
  });

  it('shows a new verification to its author at once with X-Min-Position', async () => {
    const other = await signIn(api.app, 'alex@example.com');
    const res = await post('/api/verifications', other, { partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: false }).expect(201);
    const trail = await http().get(`/api/parts/${IDS.exhaust}/verifications?bikeId=${IDS.mt07_2022}`).set('X-Min-Position', String(res.body.position)).expect(200);
    expect(trail.headers['x-consistent']).toBe('true');
    expect(trail.body.items.map((i: { verificationId: string }) => i.verificationId)).toContain(res.body.verificationId);
  });

  it('shows builds with warnings and totals, and keeps private builds private', async () => {
    const owner = await signIn(api.app, 'builder@example.com');
    const created = await post('/api/builds', owner, {
      name: 'Weekend MT',
      bikeId: IDS.mt07_2022,
      visibility: 'private',
      parts: [
        { partId: IDS.exhaust, quantity: 1 },
        { partId: IDS.pads, quantity: 2 },
      ],
    }).expect(201);
    const view = await http().get(`/api/builds/${created.body.id}`).set('Cookie', owner.cookie).set('X-Min-Position', String(created.body.position)).expect(200);
    expect(view.body).toMatchObject({ name: 'Weekend MT', revision: 2, totalPriceCents: 89_900 + 2 * 4_500, currency: 'USD', owner: { displayName: 'builder' } });
    expect(view.body.warnings).toEqual([expect.objectContaining({ code: 'part_not_known_to_fit', partIds: [IDS.pads] })]);
    await http().get(`/api/builds/${created.body.id}`).expect(401);
    await http().get(`/api/builds/${created.body.id}`).set('Cookie', rider.cookie).expect(403);
    const mine = await http().get('/api/builds').set('Cookie', owner.cookie).expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: created.body.id, partCount: 2, warnings: 1 })]);
  });

  // Last: it changes rows of the log under the API. Catching a change to an event it already
  // verified, once CHAIN_RECHECK_MS has passed, is ChainTails' own test (chain-tails.int-spec.ts).
  it('answers a broken chain for a log row changed under the trail: in a stream read whole, and in the new tail of a remembered one', async () => {
    const kim = await signIn(api.app, 'kim@example.com');
    const trail = (bikeId: string, at: number) => http().get(`/api/parts/${IDS.exhaust}/verifications?bikeId=${bikeId}`).set('X-Min-Position', String(at)).expect(200);
    const brokenChain = (bikeId: string, eventId: string) => [{ bikeId, valid: false, brokenAt: expect.objectContaining({ eventId, reason: 'hash_mismatch' }) }];

    // This stream's first event (the catalog's fitment) is changed before any trail of the pair was asked for.
    const [cataloged] = await api.db.knex('events').where({ stream_id: fitmentStream(IDS.exhaust, IDS.mt07_2021) }).orderBy('revision').select('event_id');
    await editEventMetadata(api.db.knex, cataloged.event_id, { actor: 'someone-else' });
    const onOld = await post('/api/verifications', kim, { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true }).expect(201);
    const readWhole = await trail(IDS.mt07_2021, onOld.body.position);
    expect(readWhole.body.chainValid).toBe(false);
    expect(readWhole.body.chains).toEqual(brokenChain(IDS.mt07_2021, cataloged.event_id));

    // This one is intact and verified; then a new event is changed before the trail shows it.
    const intact = await trail(IDS.mt07_2022, position);
    expect(intact.body.chainValid).toBe(true);
    const added = await post('/api/verifications', kim, { partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: true }).expect(201);
    await editEventMetadata(api.db.knex, added.body.eventId, { actor: 'someone-else' });
    const tail = await trail(IDS.mt07_2022, added.body.position);
    expect(tail.body.chainValid).toBe(false);
    expect(tail.body.chains).toEqual(brokenChain(IDS.mt07_2022, added.body.eventId));
    expect(tail.headers.etag).not.toBe(intact.headers.etag);
  });
});
