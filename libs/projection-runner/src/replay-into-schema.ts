import { createGeneration } from './checkpoints.js';
import { ensureTables } from './projection-schema.js';
import { runProjectionWorker, type WorkerOptions, type WorkerOutcome } from './projection-worker.js';

export type ReplayOptions = Omit<WorkerOptions, 'generation' | 'fromPosition' | 'stopWhenCaughtUp'>;

/**
 * Builds a projection from position 0 into a schema of its own (a generation in state `replay`,
 * never served) and stops when caught up or at `until`: the analysts' "as of" replay, and how tests
 * compare builds made with different batch sizes.
 */
export async function replayIntoSchema(options: ReplayOptions): Promise<{ generation: number; outcome: WorkerOutcome }> {
  const { knex, projection, schema } = options;
  const { generation } = await createGeneration(knex, projection.name, projection.version, 'replay', () => schema);
  await ensureTables(knex, projection, schema);
  const outcome = await runProjectionWorker({ ...options, generation, fromPosition: 0n, stopWhenCaughtUp: true });
  return { generation, outcome };
}
