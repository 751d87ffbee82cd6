import { ErrorType, StreamDeletedError, StreamNotFoundError } from '@eventstore/db-client';
import { EventStoreUnavailable, StreamDeleted, StreamNotFound } from '../errors.js';

/**
 * Client error types after which the same call may succeed later. `cancelled` only ever reaches us
 * from the server (the client drops its own cancellations): a node shutting down or restarting ends
 * open calls with CANCELLED, which the client itself answers by reconnecting (`shouldReconnect`).
 */
const retryableTypes = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);

/**
 * A batch append the server did not handle comes back as a status without a code or a known detail
 * (KurrentDB `Streams.BatchAppend.cs`: "Server Is Not Ready", "Server Is Busy", "No leader info
 * available in response"), which the client turns into an UnknownError "Could not recognize ...".
 * Reads say the same with UNAVAILABLE, or UNKNOWN for the missing leader.
 */
const notHandledMessage = /server is (not ready|busy|too busy)|no leader info available/i;

/** Maps client errors onto the port's errors; anything else is passed on as is. */
export function fromEventStoreDbError(error: unknown, stream?: string): unknown {
  if (error instanceof StreamNotFoundError && stream !== undefined) return new StreamNotFound(stream);
  if (error instanceof StreamDeletedError) return new StreamDeleted(stream ?? error.streamName);
  const type = (error as { type?: unknown } | null)?.type;
  const message = error instanceof Error ? error.message : '';
  if ((typeof type === 'string' && retryableTypes.has(type)) || (type === ErrorType.UNKNOWN && notHandledMessage.test(message))) {
    return new EventStoreUnavailable(message, { cause: error });
  }
  return error;
}
