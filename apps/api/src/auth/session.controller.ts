import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RiderPreferencesQuery, type RiderPreferencesView } from '../commands/rider/rider-preferences.query.js';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from './authenticated.decorator.js';
import { meView } from './me.view.js';
import { SESSION_COOKIE, type AuthenticatedRequest } from './request-auth.js';
import { clearSessionCookies } from './session-cookies.js';
import { SessionsRepository } from './sessions.repository.js';
import { PersonalResponse } from '../http/personal-response.js';
import { MeResponse } from './auth.responses.js';

@ApiTags('auth')
@Controller()
@PersonalResponse()
export class SessionController {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly queries: QueryBus,
  ) {}

  @Get('api/me')
  @Authenticated()
  @ApiOperation({ summary: 'The current user, plan and CSRF token' })
  @ApiOkResponse({ type: MeResponse })
  async me(@Req() req: AuthenticatedRequest) {
    const user = req.auth!.user;
    return meView(user, req.auth!.csrfToken, await this.queries.execute<RiderPreferencesQuery, RiderPreferencesView>(new RiderPreferencesQuery(user.id)));
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({ summary: 'Ends this session and clears its cookies' })
  @ApiNoContentResponse({ description: 'signed out' })
  async logout(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.delete(String(req.cookies[SESSION_COOKIE]));
    clearSessionCookies(res);
  }

  @Post('auth/logout-everywhere')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({ summary: 'Ends every session of the current user, on every device' })
  @ApiNoContentResponse({ description: 'signed out everywhere' })
  async logoutEverywhere(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.deleteAllOf(req.auth!.user.id);
    clearSessionCookies(res);
  }
}
