import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { SESSION_COOKIE, type AuthenticatedRequest } from './request-auth.js';
import { SessionsRepository } from './sessions.repository.js';

/** Resolves the session cookie to a user once per request; routes decide whether they need one. */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  constructor(private readonly sessions: SessionsRepository) {}

  async use(req: AuthenticatedRequest, _res: Response, next: NextFunction): Promise<void> {
    try {
      const token: unknown = req.cookies?.[SESSION_COOKIE];
      if (typeof token === 'string' && token.length > 0 && token.length < 200) {
        const signedIn = await this.sessions.findSignedIn(token);
        if (signedIn) {
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
