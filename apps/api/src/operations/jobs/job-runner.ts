import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { describeError } from '../../integrations/resilience/integration-errors.js';
import { JobRunsRepository, type JobRun } from './job-runs.repository.js';
import type { JobHandler } from './scheduled-job.js';

/** First key of the two-key advisory lock: keeps job locks apart from any other use of advisory locks. */
export const JOB_LOCK_NAMESPACE = 7007;

/**
 * Runs a job at most once at a time across every instance sharing the database: a transaction-level
 * advisory lock is held on one connection while the job works. A run that finds the lock taken is
 * recorded as `skipped_locked`; the lock goes with the transaction, even if this process dies.
 */
@Injectable()
export class JobRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly inFlight = new Set<Promise<JobRun>>();

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly runs: JobRunsRepository,
  ) {}

  run(name: string, handler: JobHandler): Promise<JobRun> {
    const running: Promise<JobRun> = this.execute(name, handler).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return running;
  }

  /** Lets running jobs finish before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async execute(name: string, handler: JobHandler): Promise<JobRun> {
    const startedAt = new Date();
    const result = await this.knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: { locked: boolean }[] }>('SELECT pg_try_advisory_xact_lock(?, hashtext(?)) AS locked', [JOB_LOCK_NAMESPACE, name]);
      if (!rows[0]?.locked) return { outcome: 'skipped_locked' as const, detail: 'another instance is running this job' };
      try {
        const detail = await handler.run({ name, startedAt });
        return { outcome: 'ok' as const, detail: detail ?? null };
      } catch (error) {
        return { outcome: 'failed' as const, detail: describeError(error), error };
      }
    });
    const finishedAt = new Date();
    const run: JobRun = { job: name, startedAt, finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime(), outcome: result.outcome, detail: result.detail };
    await this.runs.record(run);
    if (result.outcome === 'failed') this.logger.error({ job: name, duration_ms: run.durationMs, err: 'error' in result ? result.error : undefined }, 'job failed');
    else this.logger.debug({ job: name, outcome: run.outcome, duration_ms: run.durationMs }, 'job finished');
    return run;
  }
}
