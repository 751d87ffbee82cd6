import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export const OAUTH_STATE_COOKIE = 'mpp_oauth';
const COOKIE = { httpOnly: true, secure: true, sameSite: 'lax' as const, path: '/auth/google' };
const TEN_MINUTES_MS = 10 * 60_000;

type Stored = (error: Error | null, handle?: string) => void;
type Loaded = (error: Error | null, verifier: string | false, info?: unknown) => void;

/**
 * passport-oauth2's state store for `state: true, pkce: true` without server-side sign-in sessions:
 * the `state` handle and the PKCE code verifier travel in a short-lived, HTTP-only, HMAC-signed
 * cookie scoped to /auth/google, and the callback must return the same handle. A callback without
 * the cookie, with another handle or a forged cookie is refused (401), so a sign-in cannot be
 * started on one browser and finished on another (login CSRF).
 */
export class OAuthStateCookieStore {
  constructor(private readonly signingKey: Buffer) {}

  // passport-oauth2 tells the PKCE variant by the arity: (req, verifier, state, meta, callback).
  store(req: Request, verifier: string, _state: unknown, _meta: unknown, callback: Stored): void {
    const handle = randomBytes(24).toString('base64url');
    const value = `${handle}.${verifier}`;
    req.res!.cookie(OAUTH_STATE_COOKIE, `${value}.${this.sign(value)}`, { ...COOKIE, maxAge: TEN_MINUTES_MS });
    callback(null, handle);
  }

  verify(req: Request, providedState: unknown, callback: Loaded): void {
    const raw: unknown = req.cookies?.[OAUTH_STATE_COOKIE];
    req.res?.clearCookie(OAUTH_STATE_COOKIE, COOKIE);
    const [handle, verifier, signature, ...rest] = typeof raw === 'string' ? raw.split('.') : [];
    const valid =
      handle !== undefined && verifier !== undefined && signature !== undefined && rest.length === 0 &&
      sameText(signature, this.sign(`${handle}.${verifier}`)) && typeof providedState === 'string' && sameText(handle, providedState);
    if (!valid) return callback(null, false, { message: 'Invalid or missing sign-in state; start the Google sign-in again.' });
    callback(null, verifier);
  }

  private sign(value: string): string {
    return createHmac('sha256', this.signingKey).update(value).digest('base64url');
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
