import type { User } from './users.repository.js';

/** The signed-in user as the API shows it to that user. The email is not echoed back. */
export function meView(user: User, csrfToken: string) {
  return {
    id: user.id,
    displayName: user.displayName,
    role: user.role,
    plan: user.plan,
    emailPreferences: user.emailPreferences,
    csrfToken,
  };
}
