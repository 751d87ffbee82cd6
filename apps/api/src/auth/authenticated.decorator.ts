import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi/api-problems.decorator.js';
import { SESSION_SCHEME } from '../http/openapi/openapi-document.js';
import { AuthenticatedGuard, REQUIRED_ROLES } from './authenticated.guard.js';
import type { AuthenticatedRequest } from './request-auth.js';
import type { Role, User } from './users.repository.js';

/** The route needs a signed-in user (and, when roles are given, one of those roles). */
export const Authenticated = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    UseGuards(AuthenticatedGuard),
    ApiSecurity(SESSION_SCHEME),
    ApiProblems(401, 403),
  );

/**
 * The route answers anyone, and a signed-in caller may see more (a private build to its owner).
 * It documents the optional session; the handler reads `req.auth` itself.
 */
export const OptionalSession = () => applyDecorators(ApiSecurity({}), ApiSecurity(SESSION_SCHEME));

/** The signed-in user; only on routes guarded by @Authenticated. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): User => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('CurrentUser used on a route without @Authenticated');
  return auth.user;
});
