import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { CSRF_HEADER, type AuthenticatedRequest } from './request-auth.js';
import type { Role } from './users.repository.js';

export const REQUIRED_ROLES = 'mpp:required-roles';
/** Methods that change nothing, so need no CSRF token (the OpenAPI document declares the same). */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * 401 without a session; 403 when a cookie-authenticated mutation lacks the double-submitted CSRF
 * token, or when the user's role is not among the route's roles.
 */
@Injectable()
export class AuthenticatedGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!req.auth) throw new UnauthorizedException('Sign in to do this.');
    if (!SAFE_METHODS.has(req.method) && !sameToken(req.header(CSRF_HEADER), req.auth.csrfToken)) {
      throw new ForbiddenException('Missing or wrong X-CSRF-Token header.');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]);
    if (roles && roles.length > 0 && !roles.includes(req.auth.user.role)) {
      throw new ForbiddenException('Your role does not allow this.');
    }
    return true;
  }
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
