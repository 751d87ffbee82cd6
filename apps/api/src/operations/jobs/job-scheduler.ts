import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { JobRegistry } from './job-registry.js';
import { JobRunner } from './job-runner.js';

/**
 * Puts every registered job on its cron schedule (UTC). Provided only when jobs are enabled, so tests
 * and one-off processes never run a job behind anyone's back. @nestjs/schedule stops them on shutdown.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly registry: JobRegistry,
    private readonly runner: JobRunner,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    for (const job of this.registry.list()) {
      const cron = CronJob.from({
        cronTime: job.cron,
        timeZone: 'UTC',
        // A run still going when the next tick comes is not started twice in this process.
        waitForCompletion: true,
        onTick: async () => {
          try {
            await this.runner.run(job.name, job.handler);
          } catch (error) {
            // The run could not even be recorded (database unreachable): say so, and try on the next tick.
            this.logger.error({ job: job.name, err: error }, 'job could not run');
          }
        },
      });
      this.scheduler.addCronJob(job.name, cron);
      cron.start();
    }
    this.logger.log({ jobs: this.registry.list().map((j) => `${j.name} (${j.cron})`) }, 'scheduled jobs started');
  }
}
