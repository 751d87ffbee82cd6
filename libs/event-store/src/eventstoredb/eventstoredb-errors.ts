import { ErrorType, StreamNotFoundError } from '@eventstore/db-client';
import { EventStoreUnavailable, StreamNotFound } from '../errors.js';

// Client errors after which the same call may succeed later (no server, no leader, deadline passed).
const retryableTypes = new Set<string>([ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT, ErrorType.NOT_LEADER]);

/** Maps client errors onto the port's errors; anything else is passed on as is. */
export function fromEventStoreDbError(error: unknown, stream?: string): unknown {
  if (error instanceof StreamNotFoundError && stream !== undefined) return new StreamNotFound(stream);
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && retryableTypes.has(type)) {
    return new EventStoreUnavailable((error as Error).message, { cause: error });
  }
  return error;
}
