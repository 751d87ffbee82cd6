import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { problem } from '../../http/problem-details.js';
import { ReadReplicaRotation } from '../../infrastructure/read-replica/read-replica-rotation.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { HealthCheckResultResponse } from './health.responses.js';

const DB_PROBE_TIMEOUT_MS = 1500;

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(KNEX) private readonly knex: Knex,
    private readonly rotation: ReadReplicaRotation,
  ) {}

  /** Liveness: the process answers. Never touches dependencies, so a DB outage does not get us restarted. */
  @Get('health')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthCheckResultResponse })
  @ApiOperation({ summary: 'Liveness: the process answers (touches no dependency)' })
  live() {
    return this.health.check([]);
  }

  /**
   * Readiness: every dependency a request needs answers within a short timeout. Not ready is a 503
   * problem that still names which dependency is down (`details`), which the generic problem filter
   * would drop from Terminus's exception.
   */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthCheckResultResponse })
  @ApiOperation({ summary: 'Readiness: the database (and read replica, if any) answer in time' })
  @ApiProblems([503, 'not ready; `details` names the dependency that is down'])
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([() => this.database(), () => this.readReplica()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as { details?: Record<string, unknown> };
      res.status(503).type('application/problem+json').setHeader('Retry-After', '5');
      const down = Object.keys(result.details ?? {}).filter((name) => (result.details![name] as { status?: string }).status !== 'up');
      return problem(503, 'not-ready', `Not ready: ${down.join(', ')} unavailable.`, { details: result.details, instance: '/ready' });
    }
  }

  /**
   * A configured replica out of rotation (replaying beyond READ_REPLICA_MAX_LAG_MS, unreachable, or
   * not a standby) makes the process not ready, with the reason, so the orchestrator and the alerts
   * see it. Requests that still reach the process are answered: their queries go to the primary.
   */
  private readReplica() {
    const { configured, inRotation, reason, lagMs, checkedAt } = this.rotation.current();
    const indicator = this.indicators.check('readReplica');
    if (!configured) return indicator.up({ serving: 'primary' });
    const details = { inRotation, serving: inRotation ? 'replica' : 'primary', reason, lagMs, checkedAt };
    return inRotation ? indicator.up(details) : indicator.down(details);
  }

  private async database() {
    const indicator = this.indicators.check('database');
    try {
      await this.knex.raw('SELECT 1').timeout(DB_PROBE_TIMEOUT_MS, { cancel: true });
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
