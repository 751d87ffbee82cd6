import { EventStoreUnavailable } from '../errors.js';

// Node socket errors met while connecting to or talking with PostgreSQL.
const socketErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

// SQLSTATEs after which the same statement may succeed on a new connection: class 08 (connection
// exception), admin/crash shutdown, server starting up, too many connections.
const retryableSqlStates = new Set(['57P01', '57P02', '57P03', '53300']);

// node-postgres reports a dropped socket or a pool timeout with a plain Error and these messages.
const driverMessages = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'timeout expired',
];

// Duck-typed rather than `instanceof Error`: socket errors may come from another realm (a test VM).
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (socketErrorCodes.has(code) || retryableSqlStates.has(code) || code.startsWith('08')) return true;
  }
  if (Array.isArray(errors) && errors.some(isConnectionFailure)) return true;
  // Anywhere in the message, not only at its start: knex prefixes the failed statement ("select … - Connection terminated unexpectedly").
  return typeof message === 'string' && driverMessages.some((text) => message.includes(text));
}

/** Connection failures become the port's retryable EventStoreUnavailable; anything else is passed on as is. */
export function toEventStoreError(error: unknown): unknown {
  if (error instanceof EventStoreUnavailable || !isConnectionFailure(error)) return error;
  const { message, code } = error as { message?: string; code?: string };
  return new EventStoreUnavailable(message || code || 'connection failed', { cause: error });
}

/** Runs one database call and translates a connection failure. */
export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toEventStoreError(error);
  }
}
