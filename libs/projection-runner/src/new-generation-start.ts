import type { Knex } from 'knex';
import { listGenerations } from './checkpoints.js';
import type { ProjectionDefinition } from './projection.js';

/**
 * Where a new generation starts reading the log. A read model rebuilds its tables from position 0.
 * A reactor has no tables to rebuild, only effects that must not repeat: its new generation goes on
 * from the serving generation's position, or from the furthest any of its generations got, or, for
 * its very first one, from the head (`head`), so installing a reactor on a log with history mails
 * nobody about the past.
 */
export async function startOfNewGeneration(knex: Knex, projection: ProjectionDefinition, head: () => Promise<bigint>): Promise<bigint> {
  if (projection.kind !== 'reactor') return 0n;
  const generations = await listGenerations(knex, projection.name);
  const active = generations.find((g) => g.state === 'active');
  if (active) return active.position;
  // After a switch of event store every generation is retired: their positions belong to the old store.
  const live = generations.filter((g) => g.state !== 'retired');
  if (live.length > 0) return live.reduce((furthest, g) => (g.position > furthest ? g.position : furthest), 0n);
  return head();
}
