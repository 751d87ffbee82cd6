import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { SESSION_COOKIE, type AuthenticatedRequest } from './request-auth.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

/** Resolves the session cookie to a user once per request; routes decide whether they need one. */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
  ) {}

  async use(req: AuthenticatedRequest, _res: Response, next: NextFunction): Promise<void> {
    try {
      const token: unknown = req.cookies?.[SESSION_COOKIE];
      if (typeof token === 'string' && token.length > 0 && token.length < 200) {
        const session = await this.sessions.find(token);
        const user = session && (await this.users.findById(session.userId));
        if (session && user) {
          req.auth = { user, csrfToken: session.csrfToken };
          req.user = { id: user.id };
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  }
}
