import { ProjectionRunner, type RunnerOptions } from '../projection-runner.js';
import type { ProjectionDefinition } from '../projection.js';
import type { LeasedWork } from './lease-keeper.js';

/**
 * One projection as a leased unit: a runner of that projection alone, built afresh at each start
 * (a stopped runner stays stopped). Its rebuild poller then only looks after this projection, so
 * a requested rebuild is built by the process holding the lease.
 */
export function projectionWork(options: Omit<RunnerOptions, 'projections'>, projection: ProjectionDefinition): LeasedWork {
  let runner: ProjectionRunner | undefined;
  return {
    name: projection.name,
    fenced: true,
    async start(holder) {
      runner = new ProjectionRunner({ ...options, projections: [projection], leaseHolder: holder });
      await runner.start();
    },
    async stop() {
      const stopping = runner;
      runner = undefined;
      await stopping?.stop();
    },
  };
}
