import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '@mpp/config';
import { DEFAULT_THROTTLER, PostgresThrottlerStorage } from './postgres-throttler-storage.js';
import { RateLimitStorageModule } from './rate-limit-storage.module.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { isOperationsProbe, isStrictRoute, STRICT_THROTTLER } from './strict-rate-limit.decorator.js';

/** Both limits count per minute. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Per-client limits on every route (a signed-in user, else an IP), and a stricter one on sign-in and
 * on routes marked @StrictRateLimit. Counters live in PostgreSQL, shared by every API process.
 * Limits come from configuration so tests of other features run unthrottled and a test of the
 * limit can lower them.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: AppConfig): DynamicModule {
    const limits = config.rateLimits;
    return {
      module: RateLimitModule,
      imports: [
        RateLimitStorageModule,
        ThrottlerModule.forRootAsync({
          imports: [RateLimitStorageModule],
          inject: [PostgresThrottlerStorage],
          useFactory: (storage: PostgresThrottlerStorage) => ({
            // Strict first (the library keeps this order for equal windows): a strict hit's one upsert
            // also reads the client's per-minute total, which is then checked in memory.
            throttlers: [
              { name: STRICT_THROTTLER, ttl: RATE_LIMIT_WINDOW_MS, limit: limits.strictPerMinute, skipIf: (context) => isOperationsProbe(context) || !isStrictRoute(context) },
              { name: DEFAULT_THROTTLER, ttl: RATE_LIMIT_WINDOW_MS, limit: limits.perMinute },
            ],
            skipIf: isOperationsProbe,
            errorMessage: 'Too many requests; retry after the number of seconds in Retry-After.',
            storage,
          }),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
      exports: [RateLimitStorageModule],
    };
  }
}
