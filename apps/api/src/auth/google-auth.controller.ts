import { Controller, Get, Inject, Req, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@mpp/config';
import { APP_CONFIG } from '../infrastructure/tokens.js';
import { SESSION_COOKIE } from './request-auth.js';
import { setSessionCookies } from './session-cookies.js';
import { SessionsRepository } from './sessions.repository.js';
import type { User } from './users.repository.js';

/** Google OAuth 2.0 sign-in, registered when GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are set. */
@ApiTags('auth')
@Controller('auth/google')
export class GoogleAuthController {
  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @UseGuards(AuthGuard('google'))
  @ApiOperation({ summary: 'Redirects to Google' })
  start(): void {
    // The guard redirects to Google before this runs.
  }

  @Get('callback')
  @UseGuards(AuthGuard('google'))
  async callback(@Req() req: Request & { user: User }, @Res() res: Response): Promise<void> {
    const session = await this.sessions.signIn(req.user.id, req.cookies?.[SESSION_COOKIE]);
    setSessionCookies(res, session);
    res.redirect(302, new URL('/', this.config.PUBLIC_BASE_URL).toString());
  }
}

/** Stands in for GoogleAuthController when Google keys are absent: a clear 503, never a crash. */
@ApiTags('auth')
@Controller('auth/google')
export class GoogleUnavailableController {
  @Get()
  start(): never {
    throw new ServiceUnavailableException('Google sign-in is not configured on this server (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET).');
  }

  @Get('callback')
  callback(): never {
    return this.start();
  }
}
