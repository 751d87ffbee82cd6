import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bikeIdFor, bikeStream, partIdFor, partStream, retailerIdFor, retailerStream } from '@mpp/domain';
import { catalogProjection } from './catalog.projection.js';
import { applyBothForms, describeBulkForm } from '../testing/both-forms.js';
import { recordedEvents, type GivenEvent } from '../testing/given-events.js';

/**
 * The catalog's bulk form (a page folded in memory, a few multi-row statements) against its
 * handlers one event at a time, on random histories from small pools, so pages hold retries of one
 * registration, slugs that collide (the sku and numbered fallbacks), a second part with a taken sku,
 * revisions of parts cataloged in the same page, earlier, or never, and bikes whose slugs collide.
 */
const SKUS = ['AK-1', 'AK-2', 'ak-1', 'CH 9'];
const BRANDS = ['Akrapovič', 'Akrapovic', 'DID'];
const NAMES = ['Slip-On Line', 'Slip On Line', 'Chain Kit'];
/** Parts whose id is not derived from their sku: a second part may claim a sku another holds. */
const STRAY_PART_IDS = ['5d1f8a4e-6b3c-4f2a-9e8d-7c6b5a4f3e2d', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'];
const PART_IDS = [...SKUS.map(partIdFor), ...STRAY_PART_IDS];

const bikeRegistered = fc
  .record({ year: fc.constantFrom(2021, 2022), model: fc.constantFrom('MT-07', 'MT 07', 'Tracer'), trim: fc.option(fc.constantFrom('ABS', 'abs'), { nil: undefined }), at: fc.nat(9) })
  .map(({ year, model, trim, at }): GivenEvent => {
    const bikeId = bikeIdFor(year, 'Yamaha', model, trim);
    return { stream: bikeStream(bikeId), type: 'BikeRegistered', data: { bikeId, year, make: 'Yamaha', model, ...(trim ? { trim } : {}) }, occurredAt: minute(at) };
  });

const partCataloged = fc
  .record({
    sku: fc.constantFrom(...SKUS),
    brand: fc.constantFrom(...BRANDS),
    name: fc.constantFrom(...NAMES),
    stray: fc.option(fc.constantFrom(...STRAY_PART_IDS), { nil: undefined, freq: 4 }),
    description: fc.option(fc.constantFrom('Titanium', 'Steel'), { nil: undefined }),
    attributes: fc.option(fc.constantFrom<Record<string, string | number | boolean>>({ material: 'titanium' }, { weightKg: 1.4, eMark: true }), { nil: undefined }),
    at: fc.nat(9),
  })
  .map(({ sku, stray, at, description, attributes, ...rest }): GivenEvent => {
    const partId = stray ?? partIdFor(sku);
    return {
      stream: partStream(partId),
      type: 'PartCataloged',
      data: { partId, sku, category: 'exhaust', ...rest, ...(description ? { description } : {}), ...(attributes ? { attributes } : {}) },
      occurredAt: minute(at),
    };
  });

const partDetailsRevised = fc
  .record({
    partId: fc.constantFrom(...PART_IDS),
    brand: fc.option(fc.constantFrom(...BRANDS), { nil: undefined }),
    name: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
    category: fc.option(fc.constantFrom('exhaust', 'chain-sprockets'), { nil: undefined }),
    description: fc.option(fc.constantFrom('Revised', 'Longer text'), { nil: undefined }),
    attributes: fc.option(fc.constantFrom({ material: 'steel' }, {}), { nil: undefined }),
    at: fc.nat(9),
  })
  .filter(({ brand, name, category, description, attributes }) => [brand, name, category, description, attributes].some((field) => field !== undefined))
  .map(({ partId, at, ...fields }): GivenEvent => {
    const changed = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return { stream: partStream(partId), type: 'PartDetailsRevised', data: { partId, ...changed } as never, occurredAt: minute(at) };
  });

const retailerRegistered = fc.record({ name: fc.constantFrom('Moto Shop', 'Louis'), affiliate: fc.option(fc.constant('awin'), { nil: undefined }) }).map(({ name, affiliate }): GivenEvent => {
  const retailerId = retailerIdFor(name);
  return { stream: retailerStream(retailerId), type: 'RetailerRegistered', data: { retailerId, name, baseUrl: 'https://shop.example/', ...(affiliate ? { affiliateProgram: affiliate } : {}) } };
});

const history = fc.array(fc.oneof({ weight: 2, arbitrary: bikeRegistered }, { weight: 4, arbitrary: partCataloged }, { weight: 4, arbitrary: partDetailsRevised }, { weight: 1, arbitrary: retailerRegistered }), {
  minLength: 1,
  maxLength: 40,
});

function minute(n: number): string {
  return new Date(Date.UTC(2025, 2, 1, 12, n)).toISOString();
}

describeBulkForm('leaves the same rows and rejects the same events as the handlers one event at a time', catalogProjection, history.map((given) => recordedEvents(given)), { runs: 60, cases: (db) => {
  it('gives the later of two parts with the same name the sku slug, within one page and across pages', async () => {
    const first: GivenEvent = { stream: partStream(partIdFor('AK-1')), type: 'PartCataloged', data: { partId: partIdFor('AK-1'), sku: 'AK-1', brand: 'Akrapovic', name: 'Slip-On Line', category: 'exhaust' } };
    const second: GivenEvent = { stream: partStream(partIdFor('AK-2')), type: 'PartCataloged', data: { partId: partIdFor('AK-2'), sku: 'AK-2', brand: 'Akrapovic', name: 'Slip-On Line', category: 'exhaust' } };
    for (const cut of [[2], [1]]) {
      const { bulk } = await applyBothForms(db().knex, catalogProjection, recordedEvents([first, second]), cut);
      expect(bulk.parts!.map((row) => (JSON.parse(row) as { slug: string }).slug).sort()).toEqual(['akrapovic-slip-on-line', 'akrapovic-slip-on-line-ak-2']);
    }
  });
} });
