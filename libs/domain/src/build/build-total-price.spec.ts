import { describe, expect, it } from '@jest/globals';
import { BRAKE_PADS_ID, FULL_SYSTEM_ID, SLIP_ON_ID } from '../testing/catalog-fixtures.js';
import { buildTotalPrice } from './build-total-price.js';

describe('build total price', () => {
  it('sums best prices times quantities', () => {
    const total = buildTotalPrice(
      [{ partId: SLIP_ON_ID, quantity: 1 }, { partId: BRAKE_PADS_ID, quantity: 2 }],
      new Map([[SLIP_ON_ID, { priceCents: 89_900, currency: 'USD' }], [BRAKE_PADS_ID, { priceCents: 4_550, currency: 'USD' }]]),
    );
    expect(total).toEqual({ totals: [{ currency: 'USD', amountCents: 99_000 }], unpricedPartIds: [] });
  });

  it('keeps currencies apart and lists parts without a price', () => {
    const total = buildTotalPrice(
      [{ partId: SLIP_ON_ID, quantity: 1 }, { partId: BRAKE_PADS_ID, quantity: 1 }, { partId: FULL_SYSTEM_ID, quantity: 1 }],
      new Map([[SLIP_ON_ID, { priceCents: 89_900, currency: 'USD' }], [BRAKE_PADS_ID, { priceCents: 3_999, currency: 'EUR' }]]),
    );
    expect(total).toEqual({
      totals: [{ currency: 'EUR', amountCents: 3_999 }, { currency: 'USD', amountCents: 89_900 }],
      unpricedPartIds: [FULL_SYSTEM_ID],
    });
  });
});
