import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { MetricsModule } from '../../operations/metrics/metrics.module.js';
import { METRICS_REGISTRY } from '../../operations/metrics/metrics.tokens.js';
import { AnswerCache, type AnswerCacheCounters } from './answer-cache.js';
import { CachedAnswerInterceptor } from './cached-answer.interceptor.js';
import { ANSWER_CACHE_DATABASE_URL, ProjectionChanges } from './projection-changes.js';

/** 64 MiB: every bike page, part page and search of the demo catalog many times over. */
export const DEFAULT_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

/** The answer cache of this API process, its change follower and its metrics. */
@Global()
@Module({})
export class AnswerCacheModule {
  static forRoot(options: { databaseUrl: string; maxBytes?: number }): DynamicModule {
    return {
      module: AnswerCacheModule,
      imports: [MetricsModule],
      providers: [
        { provide: ANSWER_CACHE_DATABASE_URL, useValue: options.databaseUrl },
        {
          provide: AnswerCache,
          inject: [METRICS_REGISTRY],
          useFactory: (registry: Registry) => {
            const cache: AnswerCache = new AnswerCache(options.maxBytes ?? DEFAULT_ANSWER_CACHE_BYTES, answerCacheCounters(registry, () => cache));
            return cache;
          },
        },
        ProjectionChanges,
        CachedAnswerInterceptor,
      ],
      exports: [AnswerCache, ProjectionChanges, CachedAnswerInterceptor],
    };
  }
}

function answerCacheCounters(registry: Registry, cache: () => AnswerCache): AnswerCacheCounters {
  const registers = [registry];
  const hits = new Counter({ name: 'mpp_answer_cache_hits_total', help: 'Answers served from the answer cache', labelNames: ['family'], registers });
  const misses = new Counter({ name: 'mpp_answer_cache_misses_total', help: 'Cacheable answers computed from the read models', labelNames: ['family'], registers });
  const joined = new Counter({ name: 'mpp_answer_cache_joined_total', help: 'Misses that waited for the answer a concurrent request was computing instead of computing it again', labelNames: ['family'], registers });
  const refused = new Counter({ name: 'mpp_answer_cache_refused_total', help: 'Computed answers not kept because a key of theirs changed while they were computed', labelNames: ['family'], registers });
  const evictions = new Counter({ name: 'mpp_answer_cache_evictions_total', help: 'Answers dropped: budget (LRU), changed (a key moved), expired (the clock), flushed', labelNames: ['reason'], registers });
  new Gauge({ name: 'mpp_answer_cache_bytes', help: 'Bytes held by the answer cache', registers, collect() { this.set(cache().bytes); } });
  new Gauge({ name: 'mpp_answer_cache_max_bytes', help: 'Byte budget of the answer cache', registers, collect() { this.set(cache().maxBytes); } });
  new Gauge({ name: 'mpp_answer_cache_entries', help: 'Answers held by the answer cache', registers, collect() { this.set(cache().size); } });
  return {
    hit: (family) => hits.inc({ family }),
    miss: (family) => misses.inc({ family }),
    joined: (family) => joined.inc({ family }),
    refused: (family) => refused.inc({ family }),
    evicted: (reason, count = 1) => evictions.inc({ reason }, count),
  };
}
