import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { commandEventId } from '@mpp/domain';
import { QUERY_PROJECTIONS } from '@mpp/projections';
import { ReadsProjections } from '../../http/read-your-writes.interceptor.js';
import { BuildByIdQuery, MyBuildsQuery } from './builds.query.js';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentUser, OptionalSession } from '../../auth/authenticated.decorator.js';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import type { User } from '../../auth/users.repository.js';
import { commandContextFrom } from '../shell/command-context.js';
import { withPosition } from '../../http/command-response.js';
import { Idempotent } from '../../http/idempotency.interceptor.js';
import { UuidParam } from '../../http/uuid-param.js';
import type { BuildCommandResult } from './build-command-result.js';
import { CreateBuildCommand } from './create-build.command.js';
import { UpdateBuildCommand } from './update-build.command.js';
import { DeleteBuildCommand, type BuildDeletedResult } from './delete-build.command.js';
import { BuildCommandResponse, CreateBuildDto, UpdateBuildDto } from './build.dto.js';
import { etagOf, revisionFromIfMatch } from './if-match.js';
import { PersonalResponse } from '../../http/personal-response.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { BuildDeletedResponse, BuildResponse, MyBuildsResponse } from './build.responses.js';
import { RegionQueryDto } from '../prices/region-query.dto.js';

@ApiTags('builds')
@Controller('api/builds')
@PersonalResponse()
export class BuildsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Authenticated()
  @ReadsProjections(...QUERY_PROJECTIONS.builds)
  @ApiOperation({ summary: "The signed-in rider's builds" })
  @ApiOkResponse({ type: MyBuildsResponse })
  mine(@CurrentUser() user: User, @Query() query: RegionQueryDto) {
    return this.queries.execute(new MyBuildsQuery(user.id, new Date(), query.region));
  }

  /** Public and unlisted builds for anyone; a private one for its owner only. */
  @Get(':id')
  @ReadsProjections(...QUERY_PROJECTIONS.builds)
  @OptionalSession()
  @ApiOperation({ summary: 'A public or unlisted build, or your own private one, with warnings and totals; ETag: its revision' })
  @ApiOkResponse({ type: BuildResponse })
  @ApiProblems([401, 'a private build, and not signed in'], [403, "a private build that is not yours"], [404, 'no such build'])
  async one(@UuidParam('id') id: string, @Query() query: RegionQueryDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response) {
    const build = await this.queries.execute<BuildByIdQuery, { revision: number }>(new BuildByIdQuery(id, req.auth?.user.id, new Date(), query.region));
    res.setHeader('ETag', etagOf(build.revision));
    return build;
  }

  @Post()
  @Authenticated()
  @Idempotent()
  @ApiOperation({ summary: 'Creates a build on a bike; honours Idempotency-Key' })
  @ApiCreatedResponse({ type: BuildCommandResponse, description: 'Location: the new build' })
  @ApiProblems([404, 'no such bike or part'], 409)
  async create(
    @Body() body: CreateBuildDto,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BuildCommandResult> {
    const key = req.header('idempotency-key');
    // As for verifications: a retry with the same key names the same build, so a retry that runs
    // the command again (after a crash took the first answer with it) creates nothing new.
    const buildId = key ? commandEventId('create-build', user.id, key) : randomUUID();
    const result = await this.commands.execute<CreateBuildCommand, BuildCommandResult>(
      new CreateBuildCommand({ buildId, ownerId: user.id, ...body }, commandContextFrom(req, user.id)),
    );
    res.setHeader('ETag', etagOf(result.revision));
    res.setHeader('Location', `/api/builds/${result.id}`);
    return withPosition(res, result);
  }

  @Put(':id')
  @Authenticated()
  @ApiHeader({ name: 'If-Match', required: true, description: 'the revision the edit is based on' })
  @ApiOperation({ summary: 'Changes your build (name, bike, parts, visibility), based on a revision' })
  @ApiOkResponse({ type: BuildCommandResponse })
  @ApiProblems([404, 'no such build, bike or part'], [409, 'changed meanwhile by someone else'], 412)
  async update(
    @UuidParam('id') id: string,
    @Body() body: UpdateBuildDto,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BuildCommandResult> {
    const expectedRevision = revisionFromIfMatch(req.header('if-match'));
    const result = await this.commands.execute<UpdateBuildCommand, BuildCommandResult>(
      new UpdateBuildCommand({ buildId: id, actorId: user.id, expectedRevision, ...body }, commandContextFrom(req, user.id)),
    );
    res.setHeader('ETag', etagOf(result.revision));
    return withPosition(res, result);
  }

  @Delete(':id')
  @Authenticated()
  @ApiHeader({ name: 'If-Match', required: true, description: 'the revision the deletion is based on' })
  @ApiOperation({ summary: 'Deletes your build, based on a revision' })
  @ApiOkResponse({ type: BuildDeletedResponse, description: 'a repeated DELETE of a deleted build answers the same' })
  @ApiProblems([404, 'no such build'], [409, 'changed meanwhile by someone else'], 412)
  async remove(
    @UuidParam('id') id: string,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BuildDeletedResult> {
    const expectedRevision = revisionFromIfMatch(req.header('if-match'));
    const result = await this.commands.execute<DeleteBuildCommand, BuildDeletedResult>(
      new DeleteBuildCommand({ buildId: id, actorId: user.id, expectedRevision }, commandContextFrom(req, user.id)),
    );
    return withPosition(res, result);
  }
}
