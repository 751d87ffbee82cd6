import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/request-auth.js';

/**
 * The throttler's guard, counting per client across every route:
 * - a signed-in user is one client whatever address they come from (so the strict limit on
 *   verification submissions is per user), anyone else is their IP;
 * - the IP is Express's `req.ip`, which believes X-Forwarded-For only from TRUSTED_PROXIES;
 * - the counter key is a hash, so the shared table holds no address in clear.
 * And a plain `Retry-After` header on every 429 (the library names it `Retry-After-strict` for a
 * named throttler, which clients do not read); the problem filter keeps the header.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as AuthenticatedRequest;
    return request.auth ? `user:${request.auth.user.id}` : `ip:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return createHash('sha256').update(`${throttlerName}\u0000${tracker}`).digest('base64url');
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    return super.throwThrottlingException(context, detail);
  }
}
