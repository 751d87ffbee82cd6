import { DiscoveryService } from '@nestjs/core';

export interface ScheduledJobOptions {
  /** Unique; names the advisory lock, the job_runs rows and the admin listing. */
  name: string;
  /** Cron expression in UTC; six fields to give seconds (`*\/10 * * * * *`), five for minute precision. */
  cron: string;
  description: string;
}

export interface JobContext {
  name: string;
  startedAt: Date;
}

/** What a job does; the runner adds the lock, the timing and the job_runs record around it. */
export interface JobHandler {
  /** Returns a short summary for job_runs.detail (counts, not personal data). */
  run(context: JobContext): Promise<string | void>;
}

/**
 * Marks a provider as a scheduled job. Any module's provider can carry it: the jobs module finds it
 * by discovery, runs it on its schedule (when JOBS_ENABLED) and once across instances.
 *
 *   @ScheduledJob({ name: 'price-update', cron: '0 5 * * * *', description: 'hourly retailer feeds' })
 *   @Injectable()
 *   export class PriceUpdateJob implements JobHandler { async run() { ... } }
 */
export const ScheduledJob = DiscoveryService.createDecorator<ScheduledJobOptions>();
