import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { advanceCheckpoint, type BatchProgress } from './checkpoints.js';
import { parkEvent } from './dead-letters.js';
import type { ProjectionContext, ProjectionDefinition } from './projection.js';
import { qualify } from './projection-schema.js';

export interface BatchTarget {
  projection: ProjectionDefinition;
  generation: number;
  schema: string;
}

/** A handler failed under the `stop` policy; the batch was rolled back and the checkpoint did not move. */
export class ProjectionHandlerFailed extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    options: { cause: unknown },
  ) {
    super(`projection ${projection} failed on ${event.type} at position ${event.position}: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
    this.name = 'ProjectionHandlerFailed';
  }
}

function contextFor(trx: Knex.Transaction, schema: string): ProjectionContext {
  return {
    trx,
    table: (name) => trx.withSchema(schema).table(name),
    qualified: (name) => qualify(schema, name),
  };
}

/**
 * Applies a batch and moves the checkpoint in one transaction, so a crash at any point leaves
 * either the whole batch with its checkpoint or neither. Under the `park` policy a failing batch is
 * retried event by event inside savepoints, so only the poison event is set aside (the common case
 * pays no savepoint cost).
 */
export async function applyBatch(
  knex: Knex,
  target: BatchTarget,
  events: readonly RecordedEvent[],
  from: bigint,
  eventsPerSecond: number,
): Promise<{ parked: number }> {
  if (events.length === 0) return { parked: 0 };
  const last = events[events.length - 1];
  const progress: BatchProgress = { from, position: last.position, processed: events.length, lastEventAt: last.createdAt, eventsPerSecond };
  try {
    await knex.transaction(async (trx) => {
      const context = contextFor(trx, target.schema);
      for (const event of events) {
        const handler = target.projection.handlers[event.type];
        if (!handler) continue;
        try {
          await handler(event, context);
        } catch (error) {
          throw new ProjectionHandlerFailed(target.projection.name, event, { cause: error });
        }
      }
      await advanceCheckpoint(trx, target.projection.name, target.generation, progress);
    });
    return { parked: 0 };
  } catch (error) {
    if (!(error instanceof ProjectionHandlerFailed) || target.projection.onPoisonEvent === 'stop') throw error;
  }
  return applyIsolatingPoison(knex, target, events, progress);
}

async function applyIsolatingPoison(
  knex: Knex,
  target: BatchTarget,
  events: readonly RecordedEvent[],
  progress: BatchProgress,
): Promise<{ parked: number }> {
  let parked = 0;
  await knex.transaction(async (trx) => {
    for (const event of events) {
      const handler = target.projection.handlers[event.type];
      if (!handler) continue;
      try {
        await trx.transaction((savepoint) => handler(event, contextFor(savepoint, target.schema)));
      } catch (error) {
        await parkEvent(trx, target.projection.name, target.generation, event, error);
        parked += 1;
      }
    }
    await advanceCheckpoint(trx, target.projection.name, target.generation, progress);
  });
  return { parked };
}
