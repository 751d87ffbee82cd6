import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import type { User } from '../../auth/users.repository.js';
import { commandContextFrom } from '../shell/command-context.js';
import { withPosition } from '../../http/command-response.js';
import { Idempotent } from '../../http/idempotency.interceptor.js';
import { ObservePriceDto, ObservePriceResponse } from './observe-price.dto.js';
import { ObservePriceCommand, type ObservePriceResult } from './observe-price.command.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';

@ApiTags('admin')
@Controller('api/admin/prices')
export class AdminPricesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Authenticated('admin')
  @Idempotent()
  @ApiOperation({ summary: 'Records one price observation of a part at a retailer (admin)' })
  @ApiCreatedResponse({ type: ObservePriceResponse })
  @ApiProblems([404, 'no such part or retailer'])
  async observe(
    @Body() body: ObservePriceDto,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ObservePriceResult> {
    const result = await this.commands.execute<ObservePriceCommand, ObservePriceResult>(
      new ObservePriceCommand({ ...body, source: 'admin' }, commandContextFrom(req, user.id)),
    );
    return withPosition(res, result);
  }
}
