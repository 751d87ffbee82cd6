import { describe, expect, it } from '@jest/globals';
import { ValidationFailed } from '../errors.js';
import type { PartCataloged } from '../events/domain-event.js';
import { partIdFor } from '../identity/deterministic-ids.js';
import { SLIP_ON, SLIP_ON_ID } from '../testing/catalog-fixtures.js';
import { errorOf, given } from '../testing/given-events.js';
import type { CatalogPart } from './part.commands.js';
import { partDecider } from './part.decider.js';

const catalogSlipOn = (overrides: Partial<CatalogPart> = {}): CatalogPart => ({
  type: 'CatalogPart',
  partId: SLIP_ON_ID,
  ...SLIP_ON,
  description: 'Titanium slip-on, EC type approved.',
  attributes: { material: 'titanium', weightKg: 1.9 },
  ...overrides,
});

const slipOnCataloged: PartCataloged = {
  type: 'PartCataloged',
  data: {
    partId: SLIP_ON_ID,
    ...SLIP_ON,
    description: 'Titanium slip-on, EC type approved.',
    attributes: { material: 'titanium', weightKg: 1.9 },
  },
};

describe('part decider', () => {
  it('catalogs a new part', () => {
    expect(given(partDecider).when(catalogSlipOn())).toEqual([slipOnCataloged]);
  });

  it('appends nothing when the same part is imported again, attribute order aside', () => {
    const reordered = catalogSlipOn({ attributes: { weightKg: 1.9, material: 'titanium' } });
    expect(given(partDecider, slipOnCataloged).when(reordered)).toEqual([]);
  });

  it('revises only the fields that changed', () => {
    expect(given(partDecider, slipOnCataloged).when(catalogSlipOn({ name: 'Slip-On Line (Ti)', attributes: { material: 'titanium', weightKg: 1.8 } }))).toEqual([
      { type: 'PartDetailsRevised', data: { partId: SLIP_ON_ID, name: 'Slip-On Line (Ti)', attributes: { material: 'titanium', weightKg: 1.8 } } },
    ]);
  });

  it('compares with the details as already revised', () => {
    const revised = { type: 'PartDetailsRevised', data: { partId: SLIP_ON_ID, category: 'exhaust', brand: 'Akrapovic' } } as const;
    expect(given(partDecider, slipOnCataloged, revised).when(catalogSlipOn({ brand: 'Akrapovic' }))).toEqual([]);
  });

  it('does not erase a description or attributes that a sparse re-import leaves out', () => {
    expect(given(partDecider, slipOnCataloged).when(catalogSlipOn({ description: undefined, attributes: undefined }))).toEqual([]);
  });

  it('rejects an unknown category, naming the field', () => {
    const error = errorOf(() => given(partDecider).when(catalogSlipOn({ category: 'turbochargers' })));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).errors).toEqual([{ field: 'category', message: 'unknown part category "turbochargers"' }]);
  });

  it('rejects a part id that is not derived from the sku', () => {
    const error = errorOf(() => given(partDecider).when(catalogSlipOn({ partId: partIdFor('OTHER-SKU') })));
    expect((error as ValidationFailed).field).toBe('partId');
  });

  it('treats sku spelling (case, spaces) as the same part', () => {
    expect(given(partDecider, slipOnCataloged).when(catalogSlipOn({ sku: ' s-y7so3-hapt ' }))).toEqual([]);
  });
});
