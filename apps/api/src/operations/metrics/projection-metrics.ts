import { Gauge, type Registry } from 'prom-client';
import type { Knex } from '@mpp/db';
import type { EventStore } from '@mpp/event-store';
import { knownProjections, projectionStatuses } from '@mpp/projection-runner';
import { allConsumers, type MeilisearchConnection } from '@mpp/projections';

/**
 * Projection gauges read the checkpoints at scrape time, so every API instance reports the same
 * truth the projector wrote, whichever process runs the projections.
 */
export function registerProjectionMetrics(registry: Registry, knex: Knex, store: EventStore, meilisearch: MeilisearchConnection = {}): void {
  const labelNames = ['projection', 'generation', 'role'] as const;
  const position = new Gauge({ name: 'mpp_projection_position', help: 'Checkpoint position of a projection generation', labelNames, registers: [registry] });
  const lagEvents = new Gauge({ name: 'mpp_projection_lag_events', help: 'Events between the checkpoint and the head of the log', labelNames, registers: [registry] });
  const lagSeconds = new Gauge({ name: 'mpp_projection_lag_seconds', help: 'Age of the newest processed event while behind', labelNames, registers: [registry] });
  const rate = new Gauge({ name: 'mpp_projection_events_per_second', help: 'Recent processing rate', labelNames, registers: [registry] });
  const deadLetters = new Gauge({ name: 'mpp_projection_dead_letters', help: 'Events parked by a projection', labelNames, registers: [registry] });
  const failed = new Gauge({ name: 'mpp_projection_failed', help: '1 when the generation has stopped on an error', labelNames, registers: [registry] });
  new Gauge({
    name: 'mpp_event_store_head_position',
    help: 'Position of the newest event in the log',
    registers: [registry],
    async collect() {
      const headPosition = await store.headPosition();
      this.set(Number(headPosition));
      const statuses = await projectionStatuses(knex, await knownProjections(knex, allConsumers(store, meilisearch)), headPosition, store.kind);
      for (const gauge of [position, lagEvents, lagSeconds, rate, deadLetters, failed]) gauge.reset();
      for (const status of statuses) {
        for (const [role, generation] of [['active', status.active], ['building', status.building]] as const) {
          if (!generation) continue;
          const labels = { projection: status.name, generation: String(generation.generation), role };
          position.set(labels, Number(generation.position));
          // Left out when unknown (EventStoreDB): a missing series, not a made-up number.
          if (generation.lagEvents !== null) lagEvents.set(labels, generation.lagEvents);
          lagSeconds.set(labels, generation.lagMs / 1000);
          rate.set(labels, generation.eventsPerSecond);
          deadLetters.set(labels, generation.deadLetters);
          failed.set(labels, generation.state === 'failed' ? 1 : 0);
        }
      }
    },
  });
}
