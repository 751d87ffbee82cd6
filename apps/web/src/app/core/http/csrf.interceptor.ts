import { HttpInterceptorFn } from '@angular/common/http';
import { DOCUMENT, inject, REQUEST } from '@angular/core';
import { SessionStore } from '../session/session.store';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_ORIGIN_API = /^\/(api|auth)\//;

/**
 * Double-submit CSRF (DESIGN §6): every cookie-authenticated mutation carries X-CSRF-Token equal to
 * the readable `csrf` cookie; the token from /api/me is the fallback when the cookie is unreadable.
 */
export const csrfInterceptor: HttpInterceptorFn = (request, next) => {
  if (SAFE_METHODS.has(request.method) || !SAME_ORIGIN_API.test(request.url)) return next(request);
  const cookies = browserOrRequestCookies(inject(DOCUMENT), inject(REQUEST, { optional: true }));
  const token = readCookie(cookies, 'csrf') ?? inject(SessionStore).csrfToken();
  return next(token ? request.clone({ setHeaders: { 'X-CSRF-Token': token } }) : request);
};

export function readCookie(cookieHeader: string, name: string): string | null {
  for (const pair of cookieHeader.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    if (pair.slice(0, separator).trim() === name) {
      return decodeURIComponent(pair.slice(separator + 1).trim());
    }
  }
  return null;
}

/** The server's DOM has no cookie jar: there the cookies are the incoming request's. */
export function browserOrRequestCookies(document: Document, incomingRequest: Request | null): string {
  if (incomingRequest) return incomingRequest.headers.get('cookie') ?? '';
  return typeof ngServerMode !== 'undefined' && ngServerMode ? '' : document.cookie;
}
