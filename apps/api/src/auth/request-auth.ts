import type { Request } from 'express';
import type { User } from './users.repository.js';

export const SESSION_COOKIE = 'mpp_session';
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface RequestAuth {
  user: User;
  csrfToken: string;
}

/** What the session middleware attaches; `user` is also read by the request logger (id only). */
export type AuthenticatedRequest = Request & { auth?: RequestAuth; user?: { id: string } };
