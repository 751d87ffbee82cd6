import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { QUERY_PROJECTIONS } from '@mpp/projections';
import { ReadsProjections } from '../../http/read-your-writes.interceptor.js';
import { RecentVerificationsQuery } from './recent-verifications.query.js';
import { MyVerificationsQuery } from './my-verifications.query.js';
import { HiddenVerificationsQuery } from './hidden-verifications.query.js';
import { PageQueryDto, pageOf } from '../../queries/read-models/page-query.dto.js';
import { PersonalResponse } from '../../http/personal-response.js';
import { StrictRateLimit } from '../../http/rate-limit/strict-rate-limit.decorator.js';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { commandEventId } from '@mpp/domain';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import type { User } from '../../auth/users.repository.js';
import { commandContextFrom } from '../shell/command-context.js';
import { withPosition } from '../../http/command-response.js';
import { Idempotent } from '../../http/idempotency.interceptor.js';
import { UuidParam } from '../../http/uuid-param.js';
import { ModerateVerificationCommand } from './moderate-verification.command.js';
import { RetractVerificationCommand } from './retract-verification.command.js';
import { SubmitVerificationCommand } from './submit-verification.command.js';
import type { VerificationCommandResult } from './verification-command-result.js';
import { ModerateVerificationDto, RetractVerificationDto, SubmitVerificationDto, VerificationCommandResponse } from './verification.dto.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { HiddenVerificationsResponse, MyVerificationsResponse, RecentVerificationsResponse } from './verification.responses.js';

export class RecentQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50) limit?: number;
}

export class MyVerificationsQueryDto {
  @IsUUID() partId!: string;
}

@ApiTags('verifications')
@Controller('api')
export class VerificationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('verifications/recent')
  @ReadsProjections(...QUERY_PROJECTIONS.partVerifications)
  @ApiOperation({ summary: 'The newest community verifications across the catalog' })
  @ApiOkResponse({ type: RecentVerificationsResponse })
  recent(@Query() query: RecentQueryDto) {
    return this.queries.execute(new RecentVerificationsQuery(query.limit ?? 10));
  }

  /** Personal: which rows of a part's audit trail are the rider's own (and so retractable). */
  @Get('verifications/mine')
  @Authenticated()
  @ReadsProjections(...QUERY_PROJECTIONS.partVerifications)
  @ApiOperation({ summary: "The signed-in rider's own verifications of a part (the ones they may retract)" })
  @ApiOkResponse({ type: MyVerificationsResponse })
  mine(@Query() query: MyVerificationsQueryDto, @CurrentUser() user: User, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Cache-Control', 'private, no-store');
    return this.queries.execute(new MyVerificationsQuery(user.id, query.partId));
  }

  @Post('verifications')
  @Authenticated()
  @StrictRateLimit()
  @Idempotent()
  @ApiOperation({ summary: 'Says whether a part fits a bike (one active verification per rider and pair); honours Idempotency-Key' })
  @ApiCreatedResponse({ type: VerificationCommandResponse })
  @ApiProblems([404, 'no such part or bike'], 409)
  async submit(
    @Body() body: SubmitVerificationDto,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VerificationCommandResult> {
    const key = req.header('idempotency-key');
    // A retried request with the same key names the same verification, so even a retry that
    // slips past the idempotency record cannot record the rider's opinion twice.
    const verificationId = key ? commandEventId('submit-verification', user.id, key) : randomUUID();
    const result = await this.commands.execute<SubmitVerificationCommand, VerificationCommandResult>(
      new SubmitVerificationCommand({ verificationId, userId: user.id, ...body }, commandContextFrom(req, user.id)),
    );
    return withPosition(res, result);
  }

  @Post('verifications/:id/retract')
  @HttpCode(200)
  @Authenticated()
  @Idempotent()
  @ApiOperation({ summary: 'Retracts your own verification' })
  @ApiOkResponse({ type: VerificationCommandResponse })
  @ApiProblems([404, 'no such verification'], [409, 'not yours, or no longer active'])
  async retract(
    @UuidParam('id') id: string,
    @Body() body: RetractVerificationDto,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VerificationCommandResult> {
    const result = await this.commands.execute<RetractVerificationCommand, VerificationCommandResult>(
      new RetractVerificationCommand({ verificationId: id, userId: user.id, reason: body.reason }, commandContextFrom(req, user.id)),
    );
    return withPosition(res, result);
  }

  /** The moderation queue's other half: what is hidden now, so it can be restored. */
  @Get('admin/verifications/hidden')
  @Authenticated('moderator', 'admin')
  @PersonalResponse()
  @ReadsProjections(...QUERY_PROJECTIONS.partVerifications)
  @ApiOperation({ summary: 'Hidden verifications with the reason, when and by whom, newest hidden first (moderator or admin)' })
  @ApiOkResponse({ type: HiddenVerificationsResponse })
  hidden(@Query() query: PageQueryDto) {
    const { page, limit } = pageOf(query);
    return this.queries.execute(new HiddenVerificationsQuery(page, limit));
  }

  @Post('admin/verifications/:id/moderate')
  @HttpCode(200)
  @Authenticated('moderator', 'admin')
  @Idempotent()
  @ApiOperation({ summary: 'Hides or restores a verification (moderator or admin); the fact stays on the record' })
  @ApiOkResponse({ type: VerificationCommandResponse })
  @ApiProblems([404, 'no such verification'], 409)
  async moderate(
    @UuidParam('id') id: string,
    @Body() body: ModerateVerificationDto,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VerificationCommandResult> {
    const result = await this.commands.execute<ModerateVerificationCommand, VerificationCommandResult>(
      new ModerateVerificationCommand({ verificationId: id, moderatorId: user.id, ...body }, commandContextFrom(req, user.id)),
    );
    return withPosition(res, result);
  }
}
