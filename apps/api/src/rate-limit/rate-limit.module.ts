import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '@mpp/config';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';
import { PostgresThrottlerStorage } from './postgres-throttler-storage.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { isOperationsProbe, isStrictRoute, STRICT_THROTTLER } from './strict-rate-limit.decorator.js';

const MINUTE_MS = 60_000;

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
        ThrottlerModule.forRootAsync({
          inject: [KNEX],
          useFactory: (knex: Knex) => ({
            throttlers: [
              { name: 'default', ttl: MINUTE_MS, limit: limits.perMinute },
              { name: STRICT_THROTTLER, ttl: MINUTE_MS, limit: limits.strictPerMinute, skipIf: (context) => isOperationsProbe(context) || !isStrictRoute(context) },
            ],
            skipIf: isOperationsProbe,
            errorMessage: 'Too many requests; retry after the number of seconds in Retry-After.',
            storage: new PostgresThrottlerStorage(knex),
          }),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
