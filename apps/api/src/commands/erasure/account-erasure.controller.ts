import { Controller, Delete, HttpCode, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import { clearSessionCookies } from '../../auth/session-cookies.js';
import type { User } from '../../auth/users.repository.js';
import { commandContextFrom } from '../shell/command-context.js';
import { PersonalResponse } from '../../http/personal-response.js';
import { UuidParam } from '../../http/uuid-param.js';
import { AccountErasure } from './account-erasure.js';

@ApiTags('auth')
@Controller('api')
@PersonalResponse()
export class AccountErasureController {
  constructor(private readonly erasure: AccountErasure) {}

  @Delete('me')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({ summary: 'Erases your account: shreds the key of your notes, deletes your builds, sessions and alerts (docs/reliability.md "Erasure")' })
  @ApiNoContentResponse({ description: 'Erased; the session cookies are cleared. X-Position is the log position of the erasure.' })
  async eraseMe(@CurrentUser() user: User, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    const { position } = await this.erasure.erase(user.id, commandContextFrom(req, user.id));
    res.setHeader('X-Position', position.toString());
    clearSessionCookies(res);
  }

  @Delete('admin/users/:id')
  @HttpCode(204)
  @Authenticated('admin')
  @ApiOperation({ summary: 'Erases an account on request (e.g. an erasure request by mail), as DELETE /api/me would' })
  @ApiNoContentResponse({ description: 'Erased (also when it already was). X-Position is the log position of the erasure.' })
  async eraseUser(@UuidParam('id') id: string, @CurrentUser() admin: User, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    const { position } = await this.erasure.erase(id, commandContextFrom(req, admin.id));
    res.setHeader('X-Position', position.toString());
  }
}
