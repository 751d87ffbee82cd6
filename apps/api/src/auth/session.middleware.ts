import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { EarlyStrictCount } from '../http/rate-limit/early-strict-count.js';
import { SESSION_COOKIE, type AuthenticatedRequest } from './request-auth.js';
import { hashToken, SessionsRepository } from './sessions.repository.js';

/**
 * Resolves the session cookie to a user once per request; routes decide whether they need one. On
 * a strict-limited route (a submission) the strict count starts beside the lookup (EarlyStrictCount).
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly earlyStrictCount: EarlyStrictCount,
  ) {}

  async use(req: AuthenticatedRequest, _res: Response, next: NextFunction): Promise<void> {
    try {
      const token: unknown = req.cookies?.[SESSION_COOKIE];
      if (typeof token === 'string' && token.length > 0 && token.length < 200) {
        const tokenHash = hashToken(token);
        this.earlyStrictCount.start(req, tokenHash);
        const signedIn = await this.sessions.findSignedIn(token);
        if (signedIn) {
          this.earlyStrictCount.rememberUser(tokenHash, signedIn.user.id);
          req.auth = signedIn;
          req.user = { id: signedIn.user.id };
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  }
}
