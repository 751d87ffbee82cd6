import type { Decider } from '../decider.js';
import { Conflict, ValidationFailed } from '../errors.js';
import type { BikeEvent, DomainEvent } from '../events/domain-event.js';
import { validatedEventData } from '../events/parse-event.js';
import { bikeIdFor } from '../identity/deterministic-ids.js';
import { slugify } from '../identity/slugs.js';
import type { BikeCommand, RegisterBike } from './bike.commands.js';
import type { BikeRegisteredData } from './bike.events.js';

export type BikeState = { status: 'unregistered' } | { status: 'registered'; bike: BikeRegisteredData };

export const bikeDecider: Decider<BikeCommand, BikeState, BikeEvent> = {
  initialState: () => ({ status: 'unregistered' }),

  evolve(state: BikeState, event: DomainEvent): BikeState {
    return event.type === 'BikeRegistered' ? { status: 'registered', bike: event.data } : state;
  },

  decide(command: BikeCommand, state: BikeState): BikeEvent[] {
    return registerBike(command, state);
  },
};

/**
 * Re-registering an existing bike is a re-import: it appends nothing when the data agrees. The
 * spelling of make/model/trim may differ (same id means same slug); the first spelling stays,
 * since v1 has no event to revise a bike. A different engine size is a Conflict, so a bad
 * import row is reported rather than silently dropped.
 */
function registerBike(command: RegisterBike, state: BikeState): BikeEvent[] {
  const data = validatedEventData('BikeRegistered', {
    bikeId: command.bikeId,
    year: command.year,
    make: command.make,
    model: command.model,
    trim: command.trim?.trim() || undefined,
    engineCc: command.engineCc,
  });
  if (slugify(data.make) === '') throw new ValidationFailed('make', 'must contain a Latin letter or a digit');
  if (slugify(data.model) === '') throw new ValidationFailed('model', 'must contain a Latin letter or a digit');
  const expectedId = bikeIdFor(data.year, data.make, data.model, data.trim);
  if (data.bikeId !== expectedId) {
    throw new ValidationFailed('bikeId', `must be the id derived from year, make, model and trim (${expectedId})`);
  }

  if (state.status === 'registered') {
    const recorded = state.bike.engineCc;
    if (recorded !== undefined && data.engineCc !== undefined && recorded !== data.engineCc) {
      throw new Conflict(
        'bike_already_registered',
        `bike ${data.bikeId} is registered with engineCc ${recorded}, not ${data.engineCc}`,
        ['engineCc'],
      );
    }
    return [];
  }
  return [{ type: 'BikeRegistered', data }];
}
