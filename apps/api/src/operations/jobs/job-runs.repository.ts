import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';

export type JobOutcome = 'ok' | 'failed' | 'skipped_locked';

export interface JobRun {
  job: string;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  outcome: JobOutcome;
  detail: string | null;
}

interface JobRunRow {
  job: string;
  started_at: Date;
  finished_at: Date;
  duration_ms: number;
  outcome: JobOutcome;
  detail: string | null;
}

const toRun = (row: JobRunRow): JobRun => ({
  job: row.job,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  durationMs: row.duration_ms,
  outcome: row.outcome,
  detail: row.detail,
});

@Injectable()
export class JobRunsRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async record(run: JobRun): Promise<void> {
    await this.knex('job_runs').insert({
      job: run.job,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      duration_ms: run.durationMs,
      outcome: run.outcome,
      detail: run.detail,
    });
  }

  /** The newest run of each job; `executedOnly` leaves out runs skipped because another instance held the lock. */
  async latestPerJob(options: { executedOnly?: boolean } = {}): Promise<Map<string, JobRun>> {
    const query = this.knex('job_runs').distinctOn('job').orderBy([{ column: 'job' }, { column: 'started_at', order: 'desc' }]);
    if (options.executedOnly) query.whereIn('outcome', ['ok', 'failed']);
    const rows: JobRunRow[] = await query.select('job', 'started_at', 'finished_at', 'duration_ms', 'outcome', 'detail');
    return new Map(rows.map((row) => [row.job, toRun(row)]));
  }

  async history(job: string, limit = 20): Promise<JobRun[]> {
    const rows: JobRunRow[] = await this.knex('job_runs').where({ job }).orderBy('started_at', 'desc').limit(limit);
    return rows.map(toRun);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.knex('job_runs').where('started_at', '<', cutoff).delete();
  }
}
