import { describe, expect, it } from '@jest/globals';
import { foldEvents } from '../decider.js';
import { ValidationFailed } from '../errors.js';
import type { RiderEvent } from '../events/domain-event.js';
import { riderDecider } from './rider.decider.js';

const userId = 'u-1';
const bike = '7c1a3d52-3f1e-5d9a-9a51-0a4c1b2d3e4f';
const given = (...events: RiderEvent[]) => foldEvents(riderDecider, events);

describe('rider preferences decider', () => {
  it('records a first region and garage bike', () => {
    expect(riderDecider.decide({ type: 'ChangeRiderPreferences', userId, region: 'GB', garageBikeId: bike }, given())).toEqual([
      { type: 'RiderPreferencesChanged', data: { userId, region: 'GB', garageBikeId: bike } },
    ]);
  });

  it('records only the field that changed, and nothing when nothing did', () => {
    const state = given({ type: 'RiderPreferencesChanged', data: { userId, region: 'GB', garageBikeId: bike } });
    expect(riderDecider.decide({ type: 'ChangeRiderPreferences', userId, region: 'DE', garageBikeId: bike }, state)).toEqual([
      { type: 'RiderPreferencesChanged', data: { userId, region: 'DE' } },
    ]);
    expect(riderDecider.decide({ type: 'ChangeRiderPreferences', userId, region: 'GB' }, state)).toEqual([]);
  });

  it('empties the garage with null and keeps the region when only the bike changes', () => {
    const state = given(
      { type: 'RiderPreferencesChanged', data: { userId, region: 'GB', garageBikeId: bike } },
      { type: 'RiderPreferencesChanged', data: { userId, garageBikeId: null } },
    );
    expect(state).toEqual({ region: 'GB', garageBikeId: null });
  });

  it('refuses a region we do not serve and a command that changes nothing, naming the field', () => {
    expect(() => riderDecider.decide({ type: 'ChangeRiderPreferences', userId, region: 'XX' }, given())).toThrow(ValidationFailed);
    try {
      riderDecider.decide({ type: 'ChangeRiderPreferences', userId, region: 'XX' }, given());
    } catch (error) {
      expect((error as ValidationFailed).errors.map((e) => e.field)).toEqual(['region']);
    }
    expect(() => riderDecider.decide({ type: 'ChangeRiderPreferences', userId }, given())).toThrow(ValidationFailed);
  });
});
