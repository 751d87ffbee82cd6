import type { Knex } from '@mpp/db';
import type { ReadReplicaRotation } from './read-replica-rotation.js';

/**
 * The knex the READ_DB token provides: every call goes to the replica while it is in rotation and
 * to the primary otherwise, decided per call, so handlers keep the plain Knex type and need no
 * knowledge of replicas. Only for queries: a standby refuses writes.
 */
export function readDatabase(primary: Knex, rotation: ReadReplicaRotation): Knex {
  const current = () => rotation.serving() ?? primary;
  return new Proxy(primary, {
    apply: (_target, _this, args: unknown[]) => (current() as unknown as (...a: unknown[]) => unknown)(...args),
    get: (_target, property) => {
      const knex = current();
      const value: unknown = Reflect.get(knex, property);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(knex) : value;
    },
  });
}
