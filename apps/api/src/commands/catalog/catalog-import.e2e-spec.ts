import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { SMALL_CATALOG } from '../../testing/small-catalog.js';

describe('POST /api/admin/catalog/import', () => {
  let api: ApiUnderTest;
  let admin: SignedIn;
  const importing = (body: unknown, who = admin) =>
    request(api.app.getHttpServer()).post('/api/admin/catalog/import').set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body as object);
  const eventCount = async () => Number((await api.db.knex('events').count<{ count: number }>('* as count').first())!.count);

  beforeAll(async () => {
    api = await startApiUnderTest();
    admin = await signIn(api.app, 'admin@example.com', 'admin');
  });
  afterAll(() => api.close());

  it('is for admins only', async () => {
    await request(api.app.getHttpServer()).post('/api/admin/catalog/import').send(SMALL_CATALOG).expect(401);
    const rider = await signIn(api.app, 'rider@example.com');
    await importing(SMALL_CATALOG, rider).expect(403);
    expect(await eventCount()).toBe(0);
  });

  it('imports bikes per model year, parts, retailers and fitment, and answers the counts and position', async () => {
    const res = await importing(SMALL_CATALOG).expect(201);
    expect(res.body).toMatchObject({ bikes: 2, parts: 2, retailers: 1, fitment: 2 });
    expect(res.body.position).toBeGreaterThan(0);
    expect(res.headers['x-position']).toBe(String(res.body.position));
    const types = await api.db.knex('events').select('type').count('* as n').groupBy('type').orderBy('type');
    expect(types).toEqual([
      { type: 'BikeRegistered', n: 2 },
      { type: 'FitmentPublished', n: 2 },
      { type: 'PartCataloged', n: 2 },
      { type: 'RetailerRegistered', n: 1 },
    ]);
  });

  it('appends nothing when the same body is imported again', async () => {
    const before = await eventCount();
    const res = await importing(SMALL_CATALOG).expect(201);
    expect(res.body).toMatchObject({ bikes: 0, parts: 0, retailers: 0, fitment: 0 });
    expect(await eventCount()).toBe(before);
  });

  it('records who imported in the metadata, by user id only', async () => {
    const event = await api.db.knex('events').where({ type: 'BikeRegistered' }).first();
    expect(event.metadata.actor).toBe(admin.userId);
    expect(JSON.stringify(event)).not.toContain('admin@example.com');
  });

  it('rejects an unknown category with a 400 naming the field', async () => {
    const res = await importing({ parts: [{ sku: 'X1', brand: 'B', name: 'N', category: 'rockets' }] }).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'parts.0.category' })]);
  });

  it('rejects fitment for a bike that is nowhere, and appends nothing', async () => {
    const before = await eventCount();
    const res = await importing({
      parts: [{ sku: 'NEW-1', brand: 'B', name: 'New part', category: 'levers' }],
      fitment: [{ sku: 'NEW-1', make: 'Honda', model: 'Nonexistent', years: [2020, 2020], source: 'staff' }],
    }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'fitment.0.years' })]);
    expect(await eventCount()).toBe(before);
  });

  it('rejects a reversed year range', async () => {
    const res = await importing({ bikes: [{ make: 'Honda', model: 'CB500F', years: [2022, 2020] }] }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'bikes.0.years' })]);
  });

  it('names the fields of a malformed body', async () => {
    const res = await importing({ bikes: [{ make: '', model: 5, year: 'x' }], unknown: true }).expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['bikes.0.make', 'bikes.0.model', 'bikes.0.year', 'unknown']));
  });
});
