import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { anonymousTracker, rateLimitKey } from '../rate-limit/rate-limit-keys.js';
import { DEFAULT_THROTTLER, type PostgresThrottlerStorage } from '../rate-limit/postgres-throttler-storage.js';
import type { AnswerCache } from './answer-cache.js';
import { answerCacheKey, hasSessionCookie, sendAnswer } from './cached-answer.interceptor.js';
import { holdsEncoding, negotiateEncoding } from './answer-encoding.js';
import type { ProjectionChanges } from './projection-changes.js';

export interface HeldAnswerOptions {
  cache: AnswerCache;
  changes: ProjectionChanges;
  /** The per-minute limit every route counts against (the throttler's DEFAULT_THROTTLER). */
  rateLimit: { storage: PostgresThrottlerStorage; ttlMs: number; limit: number };
  /** Headers every API answer carries (security headers, CORS credentials), as the pipeline sets them. */
  headers: readonly (readonly [string, string])[];
  log: Logger;
}

/**
 * The front of the pipeline for the commonest request of all: an anonymous catalog GET whose
 * answer this process already holds. Such a request needs no session, no validation (the same
 * normalised URL was validated when the answer was computed), no handler and no serialisation;
 * what it still needs is done here the way the pipeline does it: the rate limit (counted in the
 * same store, in memory while the client is far from its limit), the security headers, the answer
 * with its ETag, encoding and Cache-Control (one function for both paths), and a request log line.
 * Anything else — a miss, a session, `X-Min-Position`, a cross-origin request, a client near its
 * limit, an answer not yet compressed as the client asks — goes on to the full pipeline unchanged.
 */
export function serveHeldAnswers(options: HeldAnswerOptions): RequestHandler {
  const { cache, changes, rateLimit, headers, log } = options;
  const logCompletions = log.isLevelEnabled('info');
  let requestIds = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !changes.isFollowing) return next();
    if (req.headers['x-min-position'] !== undefined || req.headers.origin !== undefined || hasSessionCookie(req)) return next();
    // An answer not yet compressed as this client asks goes on too: compressing is not done here.
    // Negotiated once, only for an answer held, and sent in that encoding.
    const acceptEncoding = req.headers['accept-encoding'];
    const held = cache.peek(answerCacheKey(req.originalUrl), Date.now(), (answer) => {
      const encoding = negotiateEncoding(acceptEncoding, answer);
      return holdsEncoding(answer, encoding) ? { answer, encoding } : undefined;
    });
    if (!held) return next();
    const counted = rateLimit.storage.admitInMemory(rateLimitKey(DEFAULT_THROTTLER, anonymousTracker(req.ip)), rateLimit.ttlMs, rateLimit.limit);
    if (!counted) return next();
    const started = performance.now();
    for (const [name, value] of headers) res.setHeader(name, value);
    res.setHeader('X-RateLimit-Limit', rateLimit.limit);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, rateLimit.limit - counted.totalHits));
    res.setHeader('X-RateLimit-Reset', counted.timeToExpire);
    res.send(sendAnswer(req, res, held.answer, held.encoding));
    if (logCompletions) {
      requestIds = (requestIds + 1) & 0x7fffffff;
      const status = res.statusCode;
      const path = req.path;
      log.info({ req: { id: `held-${requestIds}`, method: req.method, path }, res: { status }, duration_ms: Math.round(performance.now() - started), route: held.answer.route, status }, 'request completed');
    }
  };
}

/**
 * The headers a middleware sets on every answer, read once by running it against a stand-in
 * response: the held-answer path then sets the same ones without running it per request.
 */
export function headersSetBy(middleware: (req: never, res: never, next: () => void) => void): [string, string][] {
  const set = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void set.set(name, Array.isArray(value) ? value.join(', ') : String(value)),
    getHeader: (name: string) => set.get(name),
    hasHeader: (name: string) => set.has(name),
    removeHeader: (name: string) => void set.delete(name),
  };
  const req = { method: 'GET', url: '/', headers: {} };
  let called = false;
  middleware(req as never, res as never, () => (called = true));
  if (!called) throw new Error('the header middleware did not finish synchronously');
  return [...set];
}
