import { describe, expect, it } from '@jest/globals';
import { Conflict, ValidationFailed } from '../errors.js';
import type { RetailerRegistered } from '../events/domain-event.js';
import { REVZILLA, REVZILLA_ID } from '../testing/catalog-fixtures.js';
import { errorOf, given } from '../testing/given-events.js';
import type { RegisterRetailer } from './retailer.commands.js';
import { retailerDecider } from './retailer.decider.js';

const registerRevzilla = (overrides: Partial<RegisterRetailer> = {}): RegisterRetailer => ({
  type: 'RegisterRetailer',
  retailerId: REVZILLA_ID,
  ...REVZILLA,
  ...overrides,
});

const revzillaRegistered: RetailerRegistered = { type: 'RetailerRegistered', data: { retailerId: REVZILLA_ID, ...REVZILLA } };

describe('retailer decider', () => {
  it('registers a new retailer', () => {
    expect(given(retailerDecider).when(registerRevzilla())).toEqual([revzillaRegistered]);
  });

  it('appends nothing when the same retailer is imported again, URL spelling aside', () => {
    expect(given(retailerDecider, revzillaRegistered).when(registerRevzilla({ name: 'revzilla', baseUrl: 'https://WWW.revzilla.com' }))).toEqual([]);
  });

  it('rejects a re-import with a different base URL, which outbound links depend on', () => {
    const error = errorOf(() => given(retailerDecider, revzillaRegistered).when(registerRevzilla({ baseUrl: 'https://evil.example/' })));
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).fields).toEqual(['baseUrl']);
  });

  it('rejects a base URL that is not http or https', () => {
    const error = errorOf(() => given(retailerDecider).when(registerRevzilla({ baseUrl: 'javascript:alert(1)' })));
    expect((error as ValidationFailed).field).toBe('baseUrl');
  });

  it('rejects a retailer id that is not derived from the name', () => {
    const error = errorOf(() => given(retailerDecider).when(registerRevzilla({ name: 'Revzilla Motorsports' })));
    expect((error as ValidationFailed).field).toBe('retailerId');
  });
});
