import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createKnex, type Knex } from '@mpp/db';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { JobRunner } from './job-runner.js';
import { JobRunsRepository } from './job-runs.repository.js';
import type { JobHandler } from './scheduled-job.js';

/** A job that holds its run open until the test lets it finish. */
class GatedJob implements JobHandler {
  executions = 0;
  started!: Promise<void>;
  private markStarted!: () => void;
  private release!: () => void;
  private readonly gate: Promise<void>;

  constructor() {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  async run(): Promise<string> {
    this.executions += 1;
    this.markStarted();
    await this.gate;
    return 'done';
  }

  finish(): void {
    this.release();
  }
}

describe('JobRunner', () => {
  let db: TestDatabase;
  let otherInstance: Knex;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await createTestDatabase();
    // A second pool on the same database: what a second API instance would have.
    otherInstance = createKnex(db.url, { applicationName: 'mpp-test-second-instance' });
  });
  afterAll(async () => {
    await otherInstance.destroy();
    await db.drop();
  });

  const runnerOn = (knex: Knex) => new JobRunner(knex, new JobRunsRepository(knex));

  it('lets only one of two concurrent runs of a job execute; the other is recorded as skipped', async () => {
    const job = new GatedJob();
    const first = runnerOn(db.knex).run('gated', job);
    await job.started;
    const second = await runnerOn(otherInstance).run('gated', job);
    expect(second.outcome).toBe('skipped_locked');
    job.finish();
    expect((await first).outcome).toBe('ok');
    expect(job.executions).toBe(1);

    const rows = await db.knex('job_runs').where({ job: 'gated' }).orderBy('id');
    expect(rows.map((r) => r.outcome).sort()).toEqual(['ok', 'skipped_locked']);
    const ok = rows.find((r) => r.outcome === 'ok');
    expect(ok.detail).toBe('done');
    expect(ok.duration_ms).toBeGreaterThanOrEqual(0);
    expect(ok.finished_at.getTime()).toBeGreaterThanOrEqual(ok.started_at.getTime());
  });

  it('releases the lock when a run ends, so the next run executes', async () => {
    const job = new GatedJob();
    job.finish();
    expect((await runnerOn(db.knex).run('released', job)).outcome).toBe('ok');
    expect((await runnerOn(otherInstance).run('released', job)).outcome).toBe('ok');
    expect(job.executions).toBe(2);
  });

  it('does not let one job lock out another', async () => {
    const slow = new GatedJob();
    const running = runnerOn(db.knex).run('slow-one', slow);
    await slow.started;
    const other = new GatedJob();
    other.finish();
    expect((await runnerOn(otherInstance).run('another-one', other)).outcome).toBe('ok');
    slow.finish();
    await running;
  });

  it('records a job that throws as failed, with the error, and frees the lock', async () => {
    const failing: JobHandler = {
      run: async () => {
        throw new Error('feed answered 502');
      },
    };
    const run = await runnerOn(db.knex).run('failing', failing);
    expect(run).toMatchObject({ outcome: 'failed', detail: 'Error: feed answered 502' });
    const row = await db.knex('job_runs').where({ job: 'failing' }).first();
    expect(row).toMatchObject({ outcome: 'failed', detail: 'Error: feed answered 502' });
    expect((await runnerOn(otherInstance).run('failing', { run: async () => 'recovered' })).outcome).toBe('ok');
  });

  it('tells the last run of each job, and the last one that actually executed', async () => {
    const repo = new JobRunsRepository(db.knex);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    await repo.record({ job: 'report', startedAt: t(0), finishedAt: t(1), durationMs: 1000, outcome: 'ok', detail: 'first' });
    await repo.record({ job: 'report', startedAt: t(10), finishedAt: t(10), durationMs: 0, outcome: 'skipped_locked', detail: null });
    expect((await repo.latestPerJob()).get('report')).toMatchObject({ outcome: 'skipped_locked' });
    expect((await repo.latestPerJob({ executedOnly: true })).get('report')).toMatchObject({ outcome: 'ok', detail: 'first' });
  });
});
