import { Logger } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import type { EventStore } from '@mpp/event-store';
import { LeaseKeeper, ProjectionRunner, projectionWork, type LeasedWork } from '@mpp/projection-runner';
import { allConsumers } from '@mpp/projections';
import type { SearchIndexer } from '@mpp/search';

/** What the projector runs: every projection here, or its share of them under leases. */
export interface ProjectorWork {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The search indexer pushes to Meilisearch: one process at a time is enough, so it is leased like a projection. */
const SEARCH_INDEXER_LEASE = 'reactor:search-indexer';

/**
 * `leaseKnex`: the lease heartbeat's own pool. On the runners' pool a renewal queues behind their
 * batches, rebuild polls and error records whenever they hold every connection, and a lease that
 * misses its renewal stops its projection: the work that starved the heartbeat would then stall.
 */
export function projectorWork(options: { knex: Knex; leaseKnex: Knex; store: EventStore; indexer: SearchIndexer | null; leases: boolean }): ProjectorWork {
  const { knex, store, indexer } = options;
  const logger = new Logger('ProjectionRunner');
  const consumers = allConsumers(store);
  if (!options.leases) {
    const runner = new ProjectionRunner({ knex, store, projections: consumers, logger });
    return {
      start: async () => {
        await runner.start();
        indexer?.start();
      },
      stop: async () => {
        await indexer?.stop();
        await runner.stop();
      },
    };
  }
  const works: LeasedWork[] = consumers.map((projection) => projectionWork({ knex, store, logger }, projection));
  if (indexer) works.push({ name: SEARCH_INDEXER_LEASE, start: async () => indexer.start(), stop: () => indexer.stop() });
  return new LeaseKeeper({ knex: options.leaseKnex, works, logger: new Logger('ProjectionLeases') });
}
