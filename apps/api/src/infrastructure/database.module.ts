import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createKnex, type Knex } from '@mpp/db';
import { KNEX } from './tokens.js';

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  static forRoot(databaseUrl: string, poolMax: number): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: KNEX, useFactory: () => createKnex(databaseUrl, { poolMax, applicationName: 'mpp-api' }) }],
      exports: [KNEX],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.knex.destroy();
  }
}
