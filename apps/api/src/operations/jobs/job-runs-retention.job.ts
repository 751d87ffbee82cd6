import { Injectable } from '@nestjs/common';
import { JobRunsRepository } from './job-runs.repository.js';
import { ScheduledJob, type JobHandler } from './scheduled-job.js';

const KEEP_DAYS = 30;

/** job_runs gets a row every ten seconds per instance (the outbox sender); a month is plenty to look back on. */
@ScheduledJob({ name: 'job-runs-retention', cron: '0 45 3 * * *', description: `deletes job_runs older than ${KEEP_DAYS} days` })
@Injectable()
export class JobRunsRetentionJob implements JobHandler {
  constructor(private readonly runs: JobRunsRepository) {}

  async run(): Promise<string> {
    const deleted = await this.runs.deleteOlderThan(new Date(Date.now() - KEEP_DAYS * 24 * 3600_000));
    return `deleted ${deleted} runs`;
  }
}
