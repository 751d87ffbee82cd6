import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import { createEventStoreDbEventStore, createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { EVENT_STORE } from './tokens.js';

/** Binds the EventStore port to the adapter the configuration selects. */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const logger = new Logger('EventStore');
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (): EventStore =>
            config.EVENT_STORE === 'eventstoredb'
              ? createEventStoreDbEventStore({ connectionString: config.EVENTSTORE_URL! })
              : createPostgresEventStore({
                  connectionString: databaseUrl,
                  applicationName: 'mpp-api-events',
                  poolSize: config.API_EVENT_STORE_POOL_MAX,
                  onIdleConnectionError: (error) => logger.warn(`idle event store connection dropped: ${error.message}`),
                }),
        },
      ],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
