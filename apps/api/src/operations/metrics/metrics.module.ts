import { Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Knex } from '@mpp/db';
import type { EventStore } from '@mpp/event-store';
import type { AppConfig } from '@mpp/config';
import { APP_CONFIG, EVENT_STORE, KNEX } from '../../infrastructure/tokens.js';
import { MetricsController } from './metrics.controller.js';
import { METRICS_REGISTRY } from './metrics.tokens.js';
import { registerProjectionMetrics } from './projection-metrics.js';

/** Prometheus metrics at /metrics: process defaults and the projections' progress. One registry per app instance. */
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS_REGISTRY,
      inject: [KNEX, EVENT_STORE, APP_CONFIG],
      useFactory: (knex: Knex, store: EventStore, config: AppConfig) => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        registerProjectionMetrics(registry, knex, store, config);
        return registry;
      },
    },
  ],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
