import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names one projector process: host and pid say which process to look at, the random part keeps a
 * restarted process (same pid in a fresh container) from inheriting its predecessor's leases.
 */
export function leaseHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
