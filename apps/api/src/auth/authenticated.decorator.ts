import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthenticatedGuard, REQUIRED_ROLES } from './authenticated.guard.js';
import type { AuthenticatedRequest } from './request-auth.js';
import type { Role, User } from './users.repository.js';

/** The route needs a signed-in user (and, when roles are given, one of those roles). */
export const Authenticated = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    UseGuards(AuthenticatedGuard),
    ApiCookieAuth(),
    ApiUnauthorizedResponse({ description: 'not signed in' }),
    ApiForbiddenResponse({ description: 'CSRF token missing, or role not allowed' }),
  );

/** The signed-in user; only on routes guarded by @Authenticated. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): User => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('CurrentUser used on a route without @Authenticated');
  return auth.user;
});
