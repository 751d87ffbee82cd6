import { Global, Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createKnex, type Knex } from '@mpp/db';
import { KNEX } from '../tokens.js';
import { ReadRouting, readDatabase } from './read-database.js';
import { ReadReplicaRotation } from './read-replica-rotation.js';

/** Knex for queries: the replica (DATABASE_READ_URL) while it keeps up, else the primary pool (KNEX). */
export const READ_DB = Symbol('READ_DB');
const REPLICA_POOL = Symbol('REPLICA_POOL');

@Global()
@Module({})
export class ReadReplicaModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly rotation: ReadReplicaRotation,
    @Inject(REPLICA_POOL) private readonly replica: Knex | null,
  ) {}

  static forRoot(options: { readDatabaseUrl?: string; maxLagMs: number }): DynamicModule {
    return {
      module: ReadReplicaModule,
      providers: [
        {
          provide: REPLICA_POOL,
          useFactory: () => (options.readDatabaseUrl ? createKnex(options.readDatabaseUrl, { poolMax: 20, applicationName: 'mpp-api-read' }) : null),
        },
        { provide: ReadReplicaRotation, inject: [REPLICA_POOL], useFactory: (replica: Knex | null) => new ReadReplicaRotation(replica, options.maxLagMs) },
        { provide: ReadRouting, inject: [KNEX, ReadReplicaRotation], useFactory: (primary: Knex, rotation: ReadReplicaRotation) => new ReadRouting(primary, rotation) },
        { provide: READ_DB, inject: [ReadRouting], useFactory: readDatabase },
      ],
      exports: [READ_DB, ReadReplicaRotation, ReadRouting],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.replica) await this.rotation.check();
    this.rotation.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.rotation.stop();
    await this.replica?.destroy();
  }
}
