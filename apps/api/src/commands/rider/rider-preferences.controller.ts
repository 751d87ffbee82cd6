import { Body, Controller, Put, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import type { User } from '../../auth/users.repository.js';
import { commandContextFrom } from '../shell/command-context.js';
import { withPosition } from '../../http/command-response.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { PersonalResponse } from '../../http/personal-response.js';
import { ChangeRiderPreferencesCommand } from './change-rider-preferences.command.js';
import { RiderPreferencesQuery, type RiderPreferencesView } from './rider-preferences.query.js';
import { RiderPreferencesChangeResponse, RiderPreferencesDto } from './rider-preferences.responses.js';

@ApiTags('account')
@Controller('api/me/rider-preferences')
@PersonalResponse()
export class RiderPreferencesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Put()
  @Authenticated()
  @ApiOperation({ summary: "Sets the account's region and/or garage bike (recorded as RiderPreferencesChanged); GET /api/me reads them" })
  @ApiOkResponse({ type: RiderPreferencesChangeResponse, description: 'the preferences after the change' })
  @ApiProblems([404, 'no such bike'])
  async update(
    @Body() body: RiderPreferencesDto,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RiderPreferencesChangeResponse> {
    const { position } = await this.commands.execute<ChangeRiderPreferencesCommand, { position: number }>(
      new ChangeRiderPreferencesCommand({ userId: user.id, region: body.region, garageBikeId: body.garageBikeId }, commandContextFrom(req, user.id)),
    );
    const preferences = await this.queries.execute<RiderPreferencesQuery, RiderPreferencesView>(new RiderPreferencesQuery(user.id));
    return withPosition(res, { ...preferences, position });
  }
}
