import { describe, expect, it } from '@jest/globals';
import { BRAKE_PADS_ID, FULL_SYSTEM_ID, SLIP_ON_ID } from '../testing/catalog-fixtures.js';
import { buildWarnings } from './build-warnings.js';

describe('build warnings', () => {
  it('warns about a part not known to fit the bike', () => {
    const parts = [{ partId: SLIP_ON_ID, category: 'exhaust' as const }, { partId: BRAKE_PADS_ID, category: 'brake-pads' as const }];
    expect(buildWarnings({ parts, partsKnownToFit: new Set([SLIP_ON_ID]) })).toEqual([{ code: 'part_not_known_to_fit', partId: BRAKE_PADS_ID }]);
  });

  it('warns about two parts in a single-slot category', () => {
    const parts = [{ partId: SLIP_ON_ID, category: 'exhaust' as const }, { partId: FULL_SYSTEM_ID, category: 'exhaust' as const }];
    expect(buildWarnings({ parts, partsKnownToFit: new Set([SLIP_ON_ID, FULL_SYSTEM_ID]) })).toEqual([
      { code: 'single_slot_conflict', category: 'exhaust', partIds: [SLIP_ON_ID, FULL_SYSTEM_ID] },
    ]);
  });

  it('allows several parts in a category that is not single-slot', () => {
    const parts = [{ partId: BRAKE_PADS_ID, category: 'brake-pads' as const }, { partId: SLIP_ON_ID, category: 'brake-pads' as const }];
    expect(buildWarnings({ parts, partsKnownToFit: new Set([SLIP_ON_ID, BRAKE_PADS_ID]) })).toEqual([]);
  });

  it('has no warnings for an empty build', () => {
    expect(buildWarnings({ parts: [], partsKnownToFit: new Set() })).toEqual([]);
  });
});
