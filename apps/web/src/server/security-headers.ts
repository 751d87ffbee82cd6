import type { RequestHandler, Response as ExpressResponse } from 'express';
import { randomBytes } from 'node:crypto';

/** The session cookie the API sets (apps/api/src/auth/request-auth.ts). */
const SESSION_COOKIE = /(?:^|;\s*)mpp_session=/;

/**
 * Headers on everything the SSR server answers itself (the /api proxy passes the API's own):
 * - a CSP whose scripts are this origin's files or carry this response's nonce: Angular inlines
 *   its event-replay script into every server-rendered page, so the page gets the nonce
 *   (withScriptNonces) instead of 'unsafe-inline'; styles stay inline-able (component styles);
 * - no framing, no MIME sniffing, HTTPS only for a year, the origin alone as referrer elsewhere;
 * - `Cache-Control: private, no-store` on a page rendered for a signed-in rider (it may embed
 *   their builds or account).
 */
export const securityHeaders: RequestHandler = (req, res, next) => {
  const nonce = randomBytes(16).toString('base64');
  res.locals['cspNonce'] = nonce;
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: https:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  );
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  if (SESSION_COOKIE.test(req.headers.cookie ?? '')) res.setHeader('Cache-Control', 'private, no-store');
  next();
};

/** The nonce securityHeaders chose for this response. */
export function cspNonceOf(res: ExpressResponse): string {
  return String(res.locals['cspNonce']);
}

/** Data blocks (ng-state, JSON-LD) are never run, so CSP does not concern them. */
function isExecutable(attributes: string): boolean {
  const type = /\btype=["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
  return type === undefined || type === 'module' || type === 'text/javascript' || type === 'application/javascript';
}

/** Gives every script of a rendered HTML page the response's nonce; anything else passes untouched. */
export async function withScriptNonces(response: Response, nonce: string): Promise<Response> {
  if (!/^text\/html/.test(response.headers.get('content-type') ?? '')) return response;
  const html = await response.text();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  const withNonces = html.replace(/<script\b([^>]*)>/g, (tag, attributes: string) =>
    /\bnonce=/.test(attributes) || !isExecutable(attributes) ? tag : `<script${attributes} nonce="${nonce}">`,
  );
  return new Response(withNonces, { status: response.status, statusText: response.statusText, headers });
}
