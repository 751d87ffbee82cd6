import type { Response } from 'express';
import { CSRF_COOKIE, SESSION_COOKIE } from './request-auth.js';

/** The session cookie is HTTP-only; the CSRF cookie is readable by our own scripts (double submit). */
export function setSessionCookies(res: Response, session: { token: string; csrfToken: string; expiresAt: Date }): void {
  const common = { secure: true, sameSite: 'lax' as const, path: '/', expires: session.expiresAt };
  res.cookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  res.cookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/', secure: true, sameSite: 'lax', httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { path: '/', secure: true, sameSite: 'lax' });
}
