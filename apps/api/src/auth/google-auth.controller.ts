import { applyDecorators, Controller, Get, Inject, Req, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@mpp/config';
import { APP_CONFIG } from '../infrastructure/tokens.js';
import { SESSION_COOKIE } from './request-auth.js';
import { setSessionCookies } from './session-cookies.js';
import { SessionsRepository } from './sessions.repository.js';
import type { User } from './users.repository.js';
import { ApiProblems } from '../http/openapi/api-problems.decorator.js';

const NOT_CONFIGURED = 'Google sign-in is not configured on this server';

/** Both controllers below serve these two routes, so they are documented once, the same either way. */
const GoogleStartDocs = () =>
  applyDecorators(
    ApiOperation({ summary: 'Sign in with Google: redirects to Google' }),
    ApiFoundResponse({ description: "Location: Google's consent page" }),
    ApiProblems([503, NOT_CONFIGURED]),
  );
const GoogleCallbackDocs = () =>
  applyDecorators(
    ApiOperation({ summary: 'Where Google sends the rider back: starts a session and redirects to the site' }),
    ApiFoundResponse({ description: 'Location: the site; sets the session and csrf cookies' }),
    ApiProblems([401, 'Google did not confirm the sign-in'], [503, NOT_CONFIGURED]),
  );

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
  @GoogleStartDocs()
  start(): void {
    // The guard redirects to Google before this runs.
  }

  @Get('callback')
  @UseGuards(AuthGuard('google'))
  @GoogleCallbackDocs()
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
  @GoogleStartDocs()
  start(): never {
    throw new ServiceUnavailableException('Google sign-in is not configured on this server (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET).');
  }

  @Get('callback')
  @GoogleCallbackDocs()
  callback(): never {
    return this.start();
  }
}
