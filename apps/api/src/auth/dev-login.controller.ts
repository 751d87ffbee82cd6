import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { RiderPreferencesQuery, type RiderPreferencesView } from '../commands/rider/rider-preferences.query.js';
import { LoopbackOnlyGuard } from './loopback-only.guard.js';
import { SESSION_COOKIE } from './request-auth.js';
import { setSessionCookies } from './session-cookies.js';
import { SessionsRepository } from './sessions.repository.js';
import { ROLES, UsersRepository, type Role } from './users.repository.js';
import { meView } from './me.view.js';
import { PersonalResponse } from '../http/personal-response.js';
import { ApiProblems } from '../http/openapi/api-problems.decorator.js';
import { MeResponse } from './auth.responses.js';

export class DevLoginDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @Length(1, 80) displayName!: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
}

/** Registered only when AUTH_DEV_LOGIN=1 outside production (see AuthModule), otherwise a 404; loopback callers only. */
@ApiTags('auth')
@Controller('auth')
@PersonalResponse()
@UseGuards(LoopbackOnlyGuard)
export class DevLoginController {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly queries: QueryBus,
  ) {}

  @Post('dev-login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in without Google (demo, tests, newcomers). Never available in production.' })
  @ApiOkResponse({ type: MeResponse, description: 'signed in; sets the session and csrf cookies' })
  @ApiProblems([403, 'not called from this machine'])
  async login(@Body() body: DevLoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const user = await this.users.upsertByEmail({ email: body.email, displayName: body.displayName, role: body.role ?? 'user' });
    const session = await this.sessions.signIn(user.id, req.cookies?.[SESSION_COOKIE]);
    setSessionCookies(res, session);
    return meView(user, session.csrfToken, await this.queries.execute<RiderPreferencesQuery, RiderPreferencesView>(new RiderPreferencesQuery(user.id)));
  }
}
