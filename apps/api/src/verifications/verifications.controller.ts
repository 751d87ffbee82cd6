import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { commandEventId } from '@mpp/domain';
import { Authenticated, CurrentUser } from '../auth/authenticated.decorator.js';
import type { AuthenticatedRequest } from '../auth/request-auth.js';
import type { User } from '../auth/users.repository.js';
import { commandContextFrom } from '../commands/command-context.js';
import { withPosition } from '../http/command-response.js';
import { Idempotent } from '../http/idempotency.interceptor.js';
import { UuidParam } from '../http/uuid-param.js';
import {
  ModerateVerificationCommand,
  RetractVerificationCommand,
  SubmitVerificationCommand,
  type VerificationCommandResult,
} from './verification-commands.js';
import { ModerateVerificationDto, RetractVerificationDto, SubmitVerificationDto, VerificationCommandResponse } from './verification.dto.js';

@ApiTags('verifications')
@Controller('api')
export class VerificationsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('verifications')
  @Authenticated()
  @Idempotent()
  @ApiCreatedResponse({ type: VerificationCommandResponse })
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
  @ApiOkResponse({ type: VerificationCommandResponse })
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

  @Post('admin/verifications/:id/moderate')
  @HttpCode(200)
  @Authenticated('moderator', 'admin')
  @ApiOkResponse({ type: VerificationCommandResponse })
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
