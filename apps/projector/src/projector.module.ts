import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@mpp/config';

export interface ProjectorOptions {
  config: AppConfig;
  databaseUrl: string;
}

/** The standalone worker that runs the projections (read models and the search index). */
@Module({})
export class ProjectorModule {
  static forRoot(options: ProjectorOptions): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: options.config.LOG_LEVEL } })],
    };
  }
}
