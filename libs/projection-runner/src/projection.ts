import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';

/**
 * What a projection handler sees: the event, and the tables of the projection version being built,
 * reached through the batch's transaction so rows and checkpoint commit together.
 */
export interface ProjectionContext {
  readonly trx: Knex.Transaction;
  /** A query builder on one of this projection's tables, in the schema of the version being built. */
  table(name: string): Knex.QueryBuilder;
  /** `"schema"."table"` for raw SQL. */
  qualified(name: string): string;
}

export type ProjectionHandler = (event: RecordedEvent, context: ProjectionContext) => Promise<void>;

/** `stop`: a handler error halts the projection (reported as failed). `park`: the event goes to the dead-letter table and the projection goes on. */
export type PoisonEventPolicy = 'stop' | 'park';

export interface ProjectionDefinition {
  /** Stable identifier, lower-case with hyphens or underscores. */
  name: string;
  /** Bump to rebuild: the new version builds beside the old one and takes over when caught up. */
  version: number;
  /** Tables this projection owns; queries read them by these names (views onto the active version). */
  tables: readonly string[];
  /** Creates the tables (and their indexes) in the given schema. */
  createTables(knex: Knex, schema: string): Promise<void>;
  handlers: Readonly<Record<string, ProjectionHandler>>;
  onPoisonEvent: PoisonEventPolicy;
}

export function defineProjection(definition: ProjectionDefinition): ProjectionDefinition {
  if (!/^[a-z][a-z0-9_-]{0,40}$/.test(definition.name)) throw new Error(`projection name ${definition.name} must be lower-case [a-z0-9_-]`);
  if (!Number.isInteger(definition.version) || definition.version < 1) throw new Error(`projection ${definition.name}: version must be a positive integer`);
  return definition;
}
