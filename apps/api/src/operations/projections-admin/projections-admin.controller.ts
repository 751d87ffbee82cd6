import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Knex } from '@mpp/db';
import type { EventStore } from '@mpp/event-store';
import { knownProjections, projectionStatusesWithOwners, requestRebuild, type OwnedProjectionStatus } from '@mpp/projection-runner';
import { allConsumers } from '@mpp/projections';
import { Authenticated } from '../../auth/authenticated.decorator.js';
import type { AppConfig } from '@mpp/config';
import { APP_CONFIG, EVENT_STORE, KNEX } from '../../infrastructure/tokens.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { ProjectionStatusesResponse, RebuildRequestedResponse } from './projections-admin.responses.js';

@ApiTags('admin')
@Controller('api/admin/projections')
export class ProjectionsAdminController {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Authenticated('admin')
  @ApiOperation({ summary: 'Status of every projection, built-in and deployed: version, position, lag, events/s, state, dead letters, owning projector' })
  @ApiOkResponse({ type: ProjectionStatusesResponse })
  async list(): Promise<{ head: string; items: OwnedProjectionStatus[] }> {
    const head = await this.store.headPosition();
    return { head: head.toString(), items: await projectionStatusesWithOwners(this.knex, await knownProjections(this.knex, allConsumers(this.store, this.config)), head, this.store.kind) };
  }

  /** Records the request; the projector builds the new generation beside the serving one and switches when caught up. */
  @Post(':name/rebuild')
  @HttpCode(202)
  @Authenticated('admin')
  @ApiOperation({ summary: 'Rebuilds a projection beside the serving one (blue/green); switches when caught up' })
  @ApiAcceptedResponse({ type: RebuildRequestedResponse })
  @ApiProblems([404, 'no projection of that name'])
  async rebuild(@Param('name') name: string): Promise<{ projection: string; generation: number; version: number; state: string }> {
    const projection = allConsumers(this.store, this.config).find((p) => p.name === name);
    if (!projection) throw new NotFoundException(`No projection named ${name}.`);
    const generation = await requestRebuild(this.knex, projection);
    return { projection: name, generation: generation.generation, version: generation.version, state: generation.state };
  }
}
