import type { Decider } from '../decider.js';
import { ValidationFailed } from '../errors.js';
import type { DomainEvent, RiderEvent } from '../events/domain-event.js';
import { validatedEventData } from '../events/parse-event.js';
import type { RiderCommand } from './rider.commands.js';

export interface RiderPreferences {
  region: string | null;
  garageBikeId: string | null;
}

export const riderDecider: Decider<RiderCommand, RiderPreferences, RiderEvent> = {
  initialState: () => ({ region: null, garageBikeId: null }),
  evolve(state: RiderPreferences, event: DomainEvent): RiderPreferences {
    if (event.type !== 'RiderPreferencesChanged') return state;
    const { region, garageBikeId } = event.data;
    return { region: region ?? state.region, garageBikeId: garageBikeId === undefined ? state.garageBikeId : garageBikeId };
  },
  /**
   * Records only what differs from the account's current choice, so a page that sends the same
   * region on every sign-in appends nothing. Whether the bike exists is the handler's to check.
   */
  decide(command, state): RiderEvent[] {
    if (command.region === undefined && command.garageBikeId === undefined) {
      throw ValidationFailed.of([{ field: 'region', message: 'send region and/or garageBikeId' }]);
    }
    const region = command.region !== undefined && command.region !== state.region ? command.region : undefined;
    const garageBikeId = command.garageBikeId !== undefined && command.garageBikeId !== state.garageBikeId ? command.garageBikeId : undefined;
    if (region === undefined && garageBikeId === undefined) return [];
    const data = validatedEventData('RiderPreferencesChanged', {
      userId: command.userId,
      ...(region === undefined ? {} : { region }),
      ...(garageBikeId === undefined ? {} : { garageBikeId }),
    });
    return [{ type: 'RiderPreferencesChanged', data }];
  },
};
