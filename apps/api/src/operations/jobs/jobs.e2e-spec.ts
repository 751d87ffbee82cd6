import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModuleRef } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { signIn } from '../../testing/sign-in.js';
import { JobRegistry } from './job-registry.js';

describe('scheduled jobs in tests (off by default)', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api.close());

  it('schedules nothing, so no job runs behind a test', () => {
    // ModuleRef rather than app.get: the app's own lookup exits the process on an unknown provider.
    expect(() => api.app.get(ModuleRef).get(SchedulerRegistry, { strict: false })).toThrow(/SchedulerRegistry/);
  });

  it('finds the jobs of every module', () => {
    const names = api.app.get(JobRegistry).list().map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(['affiliate-partitions', 'job-runs-retention', 'outbox-sender']));
  });

  it('shows admins every job with its last run', async () => {
    const run = await api.app.get(JobRegistry).runNow('job-runs-retention');
    expect(run.outcome).toBe('ok');
    const admin = await signIn(api.app, 'admin@example.com', 'admin');
    const res = await http().get('/api/admin/jobs').set('Cookie', admin.cookie).expect(200);
    const retention = res.body.items.find((j: { name: string }) => j.name === 'job-runs-retention');
    expect(retention).toMatchObject({ cron: '0 45 3 * * *', registered: true, lastRun: { outcome: 'ok', detail: 'deleted 0 runs' } });
    expect(typeof retention.lastRun.durationMs).toBe('number');
    const never = res.body.items.find((j: { name: string }) => j.name === 'outbox-sender');
    expect(never).toMatchObject({ lastRun: null, lastExecution: null });
  });

  it('keeps the job list from riders and anonymous callers', async () => {
    await http().get('/api/admin/jobs').expect(401);
    const rider = await signIn(api.app, 'rider@example.com');
    await http().get('/api/admin/jobs').set('Cookie', rider.cookie).expect(403);
  });

  it('refuses to run a job that does not exist', () => {
    expect(() => api.app.get(JobRegistry).runNow('no-such-job')).toThrow(/No job named/);
  });
});

describe('scheduled jobs when a test turns them on', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest({ JOBS_ENABLED: '1' });
  });
  afterAll(() => api.close());

  it('puts every job on its cron schedule and runs the outbox sender within seconds', async () => {
    const registry = api.app.get(SchedulerRegistry, { strict: false });
    expect([...registry.getCronJobs().keys()].sort()).toEqual(expect.arrayContaining(['affiliate-partitions', 'job-runs-retention', 'outbox-sender']));
    const deadline = Date.now() + 15_000;
    let runs: unknown[] = [];
    while (runs.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      runs = await api.db.knex('job_runs').where({ job: 'outbox-sender' });
    }
    expect(runs).not.toHaveLength(0);
  });
});
