import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../auth/authenticated.decorator.js';
import { JobRegistry } from './job-registry.js';
import { JobRunsRepository } from './job-runs.repository.js';
import { ScheduledJobsResponse } from './admin-jobs.responses.js';

@ApiTags('admin')
@Controller('api/admin/jobs')
export class AdminJobsController {
  constructor(
    private readonly registry: JobRegistry,
    private readonly runs: JobRunsRepository,
  ) {}

  @Get()
  @Authenticated('admin')
  @ApiOperation({ summary: 'Every scheduled job with its last run (any outcome) and its last actual execution' })
  @ApiOkResponse({ type: ScheduledJobsResponse })
  async list() {
    const [lastRuns, lastExecutions] = await Promise.all([this.runs.latestPerJob(), this.runs.latestPerJob({ executedOnly: true })]);
    const registered = this.registry.list();
    // Runs of jobs no longer registered (renamed, removed) still show, so nothing disappears silently.
    const names = [...new Set([...registered.map((j) => j.name), ...lastRuns.keys()])].sort();
    return {
      items: names.map((name) => {
        const job = registered.find((j) => j.name === name);
        return {
          name,
          cron: job?.cron ?? null,
          description: job?.description ?? null,
          registered: !!job,
          lastRun: lastRuns.get(name) ?? null,
          lastExecution: lastExecutions.get(name) ?? null,
        };
      }),
    };
  }
}
