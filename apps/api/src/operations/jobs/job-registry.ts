import { Injectable, NotFoundException } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JobRunner } from './job-runner.js';
import type { JobRun } from './job-runs.repository.js';
import { ScheduledJob, type JobHandler, type ScheduledJobOptions } from './scheduled-job.js';

export interface RegisteredJob extends ScheduledJobOptions {
  handler: JobHandler;
}

/** Every provider marked @ScheduledJob, whatever module declares it. */
@Injectable()
export class JobRegistry {
  private found?: Map<string, RegisteredJob>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly runner: JobRunner,
  ) {}

  list(): RegisteredJob[] {
    return [...this.jobs().values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Runs a job once, now, through the same lock and job_runs record as its schedule (tests, operators). */
  runNow(name: string): Promise<JobRun> {
    const job = this.jobs().get(name);
    if (!job) throw new NotFoundException(`No job named ${name}.`);
    return this.runner.run(job.name, job.handler);
  }

  private jobs(): Map<string, RegisteredJob> {
    if (this.found) return this.found;
    const found = new Map<string, RegisteredJob>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: ScheduledJob.KEY })) {
      const options = this.discovery.getMetadataByDecorator(ScheduledJob, wrapper);
      const handler = wrapper.instance as JobHandler | undefined;
      if (!options || !handler) continue;
      if (typeof handler.run !== 'function') throw new Error(`@ScheduledJob ${options.name} (${wrapper.name}) has no run() method`);
      if (found.has(options.name)) throw new Error(`two scheduled jobs are named ${options.name}`);
      found.set(options.name, { ...options, handler });
    }
    this.found = found;
    return found;
  }
}
