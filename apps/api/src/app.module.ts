import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@mpp/config';
import { AuthModule } from './auth/auth.module.js';
import { HealthModule } from './health/health.module.js';
import { loggingParams } from './http/logging.js';
import { DatabaseModule } from './infrastructure/database.module.js';
import { APP_CONFIG } from './infrastructure/tokens.js';

export interface ApiOptions {
  config: AppConfig;
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static forRoot(options: ApiOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggingParams(options.config)),
        CqrsModule.forRoot(),
        DatabaseModule.forRoot(options.databaseUrl),
        HealthModule,
        AuthModule.forRoot(options.config),
      ],
      providers: [{ provide: APP_CONFIG, useValue: options.config }],
      exports: [APP_CONFIG],
    };
  }
}
