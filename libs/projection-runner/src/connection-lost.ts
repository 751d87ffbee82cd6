import { isPostgresConnectionFailure } from '@mpp/event-store';

// knex's own words for a pool that cannot hand out a connection (destroyed, or all stuck).
const poolMessages = ['Unable to acquire a connection', 'Timeout acquiring a connection'];

/**
 * The database connection failed (terminated, reset, refused, pool gone), anywhere in the error's
 * cause chain: the statement, or the ROLLBACK knex sends after it, died with the connection. That
 * says nothing about the event being applied, so it is retried, never treated as a poison event.
 */
export function isConnectionLost(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 8; depth++) {
    if (isPostgresConnectionFailure(current)) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && poolMessages.some((text) => message.includes(text))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
