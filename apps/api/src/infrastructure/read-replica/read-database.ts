import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from '@mpp/db';
import type { ReadReplicaRotation } from './read-replica-rotation.js';

/**
 * Decides which database a query reads: the one its request pinned, else the replica while it is in
 * rotation, else the primary. A request that must see a position (X-Min-Position) pins the database
 * it waited on, so the rotation changing between the wait and the read cannot send the read to a
 * database that has not reached that position.
 */
export class ReadRouting {
  private readonly pinned = new AsyncLocalStorage<Knex>();

  constructor(
    readonly primary: Knex,
    private readonly rotation: ReadReplicaRotation,
  ) {}

  /** The database a query goes to now. */
  current(): Knex {
    return this.pinned.getStore() ?? this.rotation.serving() ?? this.primary;
  }

  /** The replica while in rotation, else null: where a request about to wait for a position should read. */
  replica(): Knex | null {
    return this.rotation.serving();
  }

  /**
   * Runs `work` with every READ_DB query inside it on `knex`. For a Nest handler, call
   * `next.handle()` inside: Nest binds the handler's call to the async context of that moment.
   */
  pin<T>(knex: Knex, work: () => T): T {
    return this.pinned.run(knex, work);
  }
}

/**
 * The knex the READ_DB token provides: each call goes where `routing` says at that moment, so
 * handlers keep the plain Knex type and need no knowledge of replicas. Only for queries: a standby
 * refuses writes.
 */
export function readDatabase(routing: ReadRouting): Knex {
  return new Proxy(routing.primary, {
    apply: (_target, _this, args: unknown[]) => (routing.current() as unknown as (...a: unknown[]) => unknown)(...args),
    get: (_target, property) => {
      const knex = routing.current();
      const value: unknown = Reflect.get(knex, property);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(knex) : value;
    },
  });
}
