import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@mpp/config';
import { backendPriorityHook, createKnex, type Knex } from '@mpp/db';
import { createEventStoreDbEventStore, createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { LeaseKeeper } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, allConsumers } from '@mpp/projections';
import { DeployedProjectionsWatcher } from './deployed-projections-watcher.js';
import { projectorWork, type ProjectorWork } from './projector-work.js';

export interface ProjectorOptions {
  config: AppConfig;
  databaseUrl: string;
}

const WORK = Symbol('WORK');
const KNEX = Symbol('KNEX');
const LEASE_KNEX = Symbol('LEASE_KNEX');
const STORE = Symbol('STORE');
const APP_CONFIG = Symbol('APP_CONFIG');
const DEPLOYED = Symbol('DEPLOYED');

/**
 * The standalone worker: runs the projections (read models), all of them or, with PROJECTOR_LEASES,
 * its share of them beside other projector processes, and stops them cleanly on SIGTERM.
 */
@Module({})
export class ProjectorModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');

  constructor(
    @Inject(WORK) private readonly work: ProjectorWork,
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(LEASE_KNEX) private readonly leaseKnex: Knex,
    @Inject(STORE) private readonly store: EventStore,
    /** Projections deployed at run time (`mpp projections deploy`), beside the built-in ones. */
    @Inject(DEPLOYED) private readonly deployed: DeployedProjectionsWatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static forRoot(options: ProjectorOptions): DynamicModule {
    const { config, databaseUrl } = options;
    // The batches' connections step back from the cores (PROJECTOR_NICE). Not the lease pool's: a
    // renewal costs no CPU worth yielding, and one held back under load could let the lease lapse.
    const onConnect = backendPriorityHook(config.PROJECTOR_NICE);
    return {
      module: ProjectorModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.LOG_LEVEL } })],
      providers: [
        // Under leases every projection has its own runner: each may hold a connection for its batch
        // while its rebuild-request poll takes another (+2: the receipts reactor and the search indexer).
        { provide: KNEX, useFactory: () => createKnex(databaseUrl, { poolMax: Math.max(10, 2 * (ALL_PROJECTIONS.length + 2) + 2), applicationName: 'mpp-projector', onConnect }) },
        { provide: LEASE_KNEX, useFactory: () => createKnex(databaseUrl, { poolMax: 2, applicationName: 'mpp-projector-leases' }) },
        {
          provide: STORE,
          useFactory: (): EventStore =>
            config.EVENT_STORE === 'eventstoredb'
              ? createEventStoreDbEventStore({ connectionString: config.EVENTSTORE_URL! })
              : createPostgresEventStore({
                  connectionString: databaseUrl,
                  applicationName: 'mpp-projector-events',
                  onConnect,
                }),
        },
        {
          provide: DEPLOYED,
          inject: [KNEX, STORE],
          useFactory: (knex: Knex, store: EventStore) => new DeployedProjectionsWatcher({ knex, store, logger: new Logger('DeployedProjections') }),
        },
        { provide: APP_CONFIG, useValue: config },
        {
          provide: WORK,
          inject: [KNEX, LEASE_KNEX, STORE],
          /** With MEILI_URL, the search indexer (a consumer like the others) copies the projected search documents into Meilisearch. */
          useFactory: (knex: Knex, leaseKnex: Knex, store: EventStore) => projectorWork({ knex, leaseKnex, store, meilisearch: config, leases: config.PROJECTOR_LEASES }),
        },
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.work.start();
    await this.deployed.start();
    this.logger.log(`${this.work instanceof LeaseKeeper ? `sharing under leases (holder ${this.work.holder})` : 'running'} ${ALL_PROJECTIONS.length} projections, the reactors and indexers: ${allConsumers(this.store, this.config).map((p) => `${p.name}@v${p.version}`).join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deployed.stop();
    await this.work.stop();
    await this.store.close();
    await this.knex.destroy();
    await this.leaseKnex.destroy();
  }
}
