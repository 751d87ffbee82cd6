import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import { DEFAULT_THROTTLER, PostgresThrottlerStorage } from './postgres-throttler-storage.js';
import { anonymousTracker, rateLimitKey, userTracker } from './rate-limit-keys.js';
import { STRICT_THROTTLER } from './strict-rate-limit.decorator.js';

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
    return request.auth ? userTracker(request.auth.user.id) : anonymousTracker(request.ip ?? request.socket.remoteAddress);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    const key = rateLimitKey(throttlerName, tracker);
    if (throttlerName === STRICT_THROTTLER && this.storageService instanceof PostgresThrottlerStorage) {
      // The strict limit is checked first (RateLimitModule's order); its upsert reads the client's
      // per-minute window too, so that check is then decided in memory.
      this.storageService.pairWithDefault(key, rateLimitKey(DEFAULT_THROTTLER, tracker));
    }
    return key;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    return super.throwThrottlingException(context, detail);
  }
}
