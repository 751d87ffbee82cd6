import { createHash } from 'node:crypto';

const recentKeys = new Map<string, string>();
const RECENT_KEYS = 10_000;

/** The counter key of a client under a named limit: a hash, remembered for recent clients (one per request otherwise). */
export function rateLimitKey(throttlerName: string, tracker: string): string {
  const name = `${throttlerName}\u0000${tracker}`;
  let key = recentKeys.get(name);
  if (key === undefined) {
    if (recentKeys.size >= RECENT_KEYS) recentKeys.clear();
    key = createHash('sha256').update(name).digest('base64url');
    recentKeys.set(name, key);
  }
  return key;
}

/** A client not signed in is counted by address. */
export const anonymousTracker = (ip: string | undefined): string => `ip:${ip ?? 'unknown'}`;

/** A signed-in user is one client whatever address they come from. */
export const userTracker = (userId: string): string => `user:${userId}`;
