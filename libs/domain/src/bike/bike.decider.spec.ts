import { describe, expect, it } from '@jest/globals';
import { Conflict, ValidationFailed } from '../errors.js';
import type { BikeRegistered } from '../events/domain-event.js';
import { bikeIdFor } from '../identity/deterministic-ids.js';
import { MT07, MT07_ID } from '../testing/catalog-fixtures.js';
import { errorOf, given } from '../testing/given-events.js';
import type { RegisterBike } from './bike.commands.js';
import { bikeDecider } from './bike.decider.js';

const registerMt07 = (overrides: Partial<RegisterBike> = {}): RegisterBike => ({
  type: 'RegisterBike',
  bikeId: MT07_ID,
  ...MT07,
  engineCc: 689,
  ...overrides,
});

const mt07Registered: BikeRegistered = { type: 'BikeRegistered', data: { bikeId: MT07_ID, ...MT07, engineCc: 689 } };

describe('bike decider', () => {
  it('registers a new bike', () => {
    expect(given(bikeDecider).when(registerMt07())).toEqual([mt07Registered]);
  });

  it('appends nothing when the same bike is imported again', () => {
    expect(given(bikeDecider, mt07Registered).when(registerMt07())).toEqual([]);
  });

  it('keeps the first spelling when a re-import spells make and model differently', () => {
    expect(given(bikeDecider, mt07Registered).when(registerMt07({ make: 'YAMAHA', model: 'mt 07' }))).toEqual([]);
  });

  it('rejects a re-import that disagrees on the engine size', () => {
    const error = errorOf(() => given(bikeDecider, mt07Registered).when(registerMt07({ engineCc: 700 })));
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).fields).toEqual(['engineCc']);
  });

  it('rejects a bike id that is not derived from year, make, model and trim', () => {
    const error = errorOf(() => given(bikeDecider).when(registerMt07({ bikeId: bikeIdFor(2022, 'Yamaha', 'MT-07') })));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).field).toBe('bikeId');
  });

  it('registers a trim as its own bike and drops a blank trim', () => {
    const withTrim = registerMt07({ bikeId: bikeIdFor(2021, 'Yamaha', 'MT-07', 'Pure'), trim: ' Pure ' });
    expect(given(bikeDecider).when(withTrim)[0]?.data.trim).toBe('Pure');
    expect(given(bikeDecider).when(registerMt07({ trim: '  ' }))[0]?.data).not.toHaveProperty('trim');
  });

  it('names the field of an impossible year', () => {
    const error = errorOf(() => given(bikeDecider).when(registerMt07({ year: 1700, bikeId: bikeIdFor(1700, 'Yamaha', 'MT-07') })));
    expect((error as ValidationFailed).field).toBe('year');
  });

  it('rejects a model without a Latin letter or digit, which could not have a slug', () => {
    const error = errorOf(() => given(bikeDecider).when(registerMt07({ model: '—', bikeId: bikeIdFor(2021, 'Yamaha', '—') })));
    expect((error as ValidationFailed).field).toBe('model');
  });
});
