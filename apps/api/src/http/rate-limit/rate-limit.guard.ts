import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import { DEFAULT_THROTTLER, PostgresThrottlerStorage } from './postgres-throttler-storage.js';
import { STRICT_THROTTLER } from './strict-rate-limit.decorator.js';

const recentKeys = new Map<string, string>();
const RECENT_KEYS = 10_000;

/** The counter key of a client under a named limit: a hash, remembered for recent clients (one per request otherwise). */
export function rateLimitKey(throttlerName: string, tracker: string): string {
  const name = `${throttlerName}\u0000${tracker}`;
  let key = recentKeys.get(name);
  if (key === undefined) {
    if (recentKeys.size >= RECENT_KEYS) recentKeys.clear();
    key = createHash('sha256').update(name).digest('base64url');
    recentKeys.set(name, key);
  }
  return key;
}

/** A client not signed in is counted by address. */
export const anonymousTracker = (ip: string | undefined): string => `ip:${ip ?? 'unknown'}`;

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
    return request.auth ? `user:${request.auth.user.id}` : anonymousTracker(request.ip ?? request.socket.remoteAddress);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    const key = rateLimitKey(throttlerName, tracker);
    // The strict limit is checked first (RateLimitModule's order); its upsert reads the client's
    // per-minute window too, so that check is then decided in memory.
    if (throttlerName === STRICT_THROTTLER && this.storageService instanceof PostgresThrottlerStorage) {
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
