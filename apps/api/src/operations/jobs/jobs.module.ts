import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from '@mpp/config';
import { AdminJobsController } from './admin-jobs.controller.js';
import { JobRegistry } from './job-registry.js';
import { JobRunner } from './job-runner.js';
import { JobRunsRepository } from './job-runs.repository.js';
import { JobRunsRetentionJob } from './job-runs-retention.job.js';
import { JobScheduler } from './job-scheduler.js';

/**
 * Scheduled jobs. Jobs themselves live in their feature modules (@ScheduledJob providers); this
 * module finds, schedules, locks and records them. With JOBS_ENABLED off (the default in tests)
 * nothing is scheduled, and @nestjs/schedule is not even loaded, so a stray @Cron cannot fire either.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const enabled = config.jobsEnabled;
    if (!enabled) new Logger('JobsModule').log('Scheduled jobs are off (JOBS_ENABLED); run one with JobRegistry.runNow');
    return {
      module: JobsModule,
      imports: [DiscoveryModule, ...(enabled ? [ScheduleModule.forRoot()] : [])],
      controllers: [AdminJobsController],
      providers: [JobRunsRepository, JobRunner, JobRegistry, JobRunsRetentionJob, ...(enabled ? [JobScheduler] : [])],
      exports: [JobRunner, JobRegistry, JobRunsRepository],
    };
  }
}
