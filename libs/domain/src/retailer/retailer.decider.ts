import type { Decider } from '../decider.js';
import { Conflict, ValidationFailed } from '../errors.js';
import type { DomainEvent, RetailerEvent } from '../events/domain-event.js';
import { validatedEventData } from '../events/parse-event.js';
import { retailerIdFor } from '../identity/deterministic-ids.js';
import type { RegisterRetailer, RetailerCommand } from './retailer.commands.js';
import type { RetailerRegisteredData } from './retailer.events.js';

export type RetailerState = { status: 'unregistered' } | { status: 'registered'; retailer: RetailerRegisteredData };

export const retailerDecider: Decider<RetailerCommand, RetailerState, RetailerEvent> = {
  initialState: () => ({ status: 'unregistered' }),

  evolve(state: RetailerState, event: DomainEvent): RetailerState {
    return event.type === 'RetailerRegistered' ? { status: 'registered', retailer: event.data } : state;
  },

  decide(command: RetailerCommand, state: RetailerState): RetailerEvent[] {
    return registerRetailer(command, state);
  },
};

/**
 * The base URL is stored in WHATWG-normalised form (`https://Shop.example` -> `https://shop.example/`),
 * so cosmetic differences between imports are not conflicts.
 * Re-registering with the same base URL and programme appends nothing (re-import). A different
 * base URL or affiliate programme is a Conflict: outbound purchase links are built from the base
 * URL, so it must not change silently, and v1 has no event to revise a retailer.
 */
function registerRetailer(command: RegisterRetailer, state: RetailerState): RetailerEvent[] {
  const data = validatedEventData('RetailerRegistered', {
    retailerId: command.retailerId,
    name: command.name,
    baseUrl: URL.canParse(command.baseUrl) ? new URL(command.baseUrl).href : command.baseUrl,
    affiliateProgram: command.affiliateProgram?.trim() || undefined,
  });
  const expectedId = retailerIdFor(data.name);
  if (data.retailerId !== expectedId) {
    throw new ValidationFailed('retailerId', `must be the id derived from the name (${expectedId})`);
  }

  if (state.status === 'unregistered') return [{ type: 'RetailerRegistered', data }];

  const recorded = state.retailer;
  const differing = [
    ...(data.baseUrl !== recorded.baseUrl ? ['baseUrl'] : []),
    ...(data.affiliateProgram !== undefined && data.affiliateProgram !== recorded.affiliateProgram ? ['affiliateProgram'] : []),
  ];
  if (differing.length > 0) {
    throw new Conflict('retailer_already_registered', `retailer ${data.retailerId} is registered with a different ${differing.join(' and ')}`, differing);
  }
  return [];
}
