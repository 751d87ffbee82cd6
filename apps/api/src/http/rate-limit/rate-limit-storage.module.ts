import { Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { PostgresThrottlerStorage } from './postgres-throttler-storage.js';

/** The one counter store of this process: the throttler's guard and the held-answer path both count in it. */
@Module({
  providers: [{ provide: PostgresThrottlerStorage, inject: [KNEX], useFactory: (knex: Knex) => new PostgresThrottlerStorage(knex) }],
  exports: [PostgresThrottlerStorage],
})
export class RateLimitStorageModule implements OnApplicationShutdown {
  constructor(private readonly storage: PostgresThrottlerStorage) {}

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close().catch(() => undefined);
  }
}
