import type { User } from './users.repository.js';
import type { RiderPreferencesView } from '../commands/rider/rider-preferences.query.js';

/**
 * The signed-in user as the API shows it to that user. The email is not echoed back. The region
 * and garage bike on the account come along, so a sign-in on a new device picks them up at once.
 */
export function meView(user: User, csrfToken: string, preferences: RiderPreferencesView) {
  return {
    id: user.id,
    displayName: user.displayName,
    role: user.role,
    plan: user.plan,
    emailPreferences: user.emailPreferences,
    region: preferences.region,
    garageBike: preferences.garageBike,
    csrfToken,
  };
}
