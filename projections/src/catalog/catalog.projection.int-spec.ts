import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogProjection } from './catalog.projection.js';
import { at, bikeRegistered, partCataloged, partDetailsRevised, retailerRegistered, unique } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('catalog projection', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([catalogProjection]);
  });
  afterAll(async () => {
    await harness.close();
  });

  const deadLettersOf = async (streamId: string) => (await harness.deadLetters()).filter((letter) => letter.stream_id === streamId);

  it('registers a bike under its slug, with the trim in it when it has one', async () => {
    const model = `MT-07 ${unique()}`;
    const base = bikeRegistered({ year: 2021, make: 'Yamaha', model, engineCc: 689 });
    const trimmed = at('2024-01-02T03:04:05.000Z', bikeRegistered({ year: 2021, make: 'Yamaha', model, trim: 'Pure' }));
    await harness.given(base, trimmed);

    const bikes = await harness.knex('bikes').where({ model }).orderBy('slug');
    const modelSlug = model.toLowerCase().replace(' ', '-');
    expect(bikes).toEqual([
      expect.objectContaining({ id: base.data.bikeId, slug: `2021-yamaha-${modelSlug}`, year: 2021, make: 'Yamaha', trim: null, engine_cc: 689 }),
      expect.objectContaining({ id: trimmed.data.bikeId, slug: `2021-yamaha-${modelSlug}-pure`, trim: 'Pure', engine_cc: null }),
    ]);
    expect(bikes[1].registered_at.toISOString()).toBe('2024-01-02T03:04:05.000Z');
  });

  it('answers the year -> make -> model cascade', async () => {
    const make = `Make ${unique()}`;
    await harness.given(
      bikeRegistered({ year: 2020, make, model: 'Alpha' }),
      bikeRegistered({ year: 2021, make, model: 'Beta' }),
      bikeRegistered({ year: 2021, make, model: 'Alpha' }),
    );
    const models = await harness.knex('bikes').where({ year: 2021, make }).distinct('model').orderBy('model');
    expect(models.map((row) => row.model)).toEqual(['Alpha', 'Beta']);
  });

  it('gives the first part {brand}-{name} and a later part of the same brand and name its sku too', async () => {
    const name = `Slip-On Line ${unique()}`;
    const first = partCataloged({ brand: 'Akrapovič', name, sku: 'S-Y7SO3-HAPT' + unique() });
    const namesake = partCataloged({ brand: 'Akrapovic', name, sku: 'S-Y7SO3-HACT' });
    await harness.given(first, namesake);

    const base = `akrapovic-${name.toLowerCase().replaceAll(' ', '-')}`;
    expect(await harness.knex('parts').where({ id: first.data.partId }).first('slug')).toEqual({ slug: base });
    expect(await harness.knex('parts').where({ id: namesake.data.partId }).first('slug')).toEqual({ slug: `${base}-s-y7so3-hact` });
  });

  it('stores a cataloged part with its details', async () => {
    const part = partCataloged({ category: 'brake-pads', brand: 'EBC', description: 'Sintered pads', attributes: { compound: 'HH', eMark: true } });
    await harness.given(part);
    expect(await harness.knex('parts').where({ id: part.data.partId }).first()).toMatchObject({
      sku: part.data.sku,
      brand: 'EBC',
      name: part.data.name,
      category: 'brake-pads',
      description: 'Sintered pads',
      attributes: { compound: 'HH', eMark: true },
    });
  });

  it('revises only the fields PartDetailsRevised carries and keeps the slug the part was first given', async () => {
    const part = partCataloged({ brand: 'SC-Project', name: `S1 ${unique()}`, description: 'Slip-on', attributes: { material: 'steel' } });
    await harness.given(part);
    const { slug } = await harness.knex('parts').where({ id: part.data.partId }).first('slug');

    await harness.given(
      at('2025-04-01T00:00:00.000Z', partDetailsRevised(part.data.partId, { name: 'S1 Titanium', category: 'exhaust', attributes: { material: 'titanium' } })),
    );
    const revised = await harness.knex('parts').where({ id: part.data.partId }).first();
    expect(revised).toMatchObject({
      slug,
      brand: 'SC-Project',
      name: 'S1 Titanium',
      description: 'Slip-on',
      attributes: { material: 'titanium' },
    });
    expect(revised.revised_at.toISOString()).toBe('2025-04-01T00:00:00.000Z');
  });

  it('registers a retailer', async () => {
    const retailer = retailerRegistered({ baseUrl: 'https://www.revzilla.com/', affiliateProgram: 'awin' });
    await harness.given(retailer);
    expect(await harness.knex('retailers').where({ id: retailer.data.retailerId }).first()).toMatchObject({
      name: retailer.data.name,
      base_url: 'https://www.revzilla.com/',
      affiliate_program: 'awin',
    });
  });

  it('parks a revision of a part that was never cataloged and goes on with the next event', async () => {
    const orphan = partDetailsRevised(randomUUID(), { name: 'Ghost' });
    const next = retailerRegistered();
    await harness.given(orphan, next);
    expect(await deadLettersOf(orphan.stream)).toEqual([
      expect.objectContaining({ projection: 'catalog', event_type: 'PartDetailsRevised', error: expect.stringContaining('never cataloged') }),
    ]);
    expect(await harness.knex('retailers').where({ id: next.data.retailerId })).toHaveLength(1);
  });
});
