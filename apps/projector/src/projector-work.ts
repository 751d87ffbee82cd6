import { Logger } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import type { EventStore } from '@mpp/event-store';
import { DEFAULT_BATCH_SIZE, LeaseKeeper, ProjectionRunner, SharedLogReader, projectionWork, type LeasedWork } from '@mpp/projection-runner';
import { allConsumers, type MeilisearchConnection } from '@mpp/projections';

/** What the projector runs: every projection here, or its share of them under leases. */
export interface ProjectorWork {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `leaseKnex`: the lease heartbeat's own pool. On the runners' pool a renewal queues behind their
 * batches, rebuild polls and error records whenever they hold every connection, and a lease that
 * misses its renewal stops its projection: the work that starved the heartbeat would then stall.
 */
export function projectorWork(options: { knex: Knex; leaseKnex: Knex; store: EventStore; meilisearch?: MeilisearchConnection; leases: boolean }): ProjectorWork {
  const { knex, store } = options;
  const logger = new Logger('ProjectionRunner');
  const consumers = allConsumers(store, options.meilisearch);
  if (!options.leases) return new ProjectionRunner({ knex, store, projections: consumers, logger });
  // One reading of the log for every projection this process holds: an append wakes one page read, not one per projection.
  const reader = new SharedLogReader({ store, batchSize: DEFAULT_BATCH_SIZE });
  const works: LeasedWork[] = consumers.map((projection) => projectionWork({ knex, store, logger, reader }, projection));
  return new LeaseKeeper({ knex: options.leaseKnex, works, logger: new Logger('ProjectionLeases') });
}
