import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';

const DB_PROBE_TIMEOUT_MS = 1500;

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(KNEX) private readonly knex: Knex,
  ) {}

  /** Liveness: the process answers. Never touches dependencies, so a DB outage does not get us restarted. */
  @Get('health')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: every dependency a request needs answers within a short timeout. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database()]);
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
