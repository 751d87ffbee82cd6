import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { PostgresThrottlerStorage, type SharedWindow } from './postgres-throttler-storage.js';
import { rateLimitKey, userTracker } from './rate-limit-keys.js';
import { STRICT_THROTTLER } from './strict-rate-limit.decorator.js';

/** Both limits count per minute (RATE_LIMIT_WINDOW_MS; not imported, which would make a cycle with the module). */
const WINDOW_MS = 60_000;
/** Bounds of what is remembered; when full, each starts afresh (one sequential request per entry again). */
const STRICT_PATHS = 1_000;
const USERS = 10_000;

const EARLY = Symbol('early strict count');
type WithEarly = Request & { [EARLY]?: { userId: string; counted: Promise<SharedWindow | undefined> } };

/**
 * A submission's strict count, started beside the session lookup instead of after it. The strict
 * counter is keyed by the user, whom only the session names, so the guard could count only once
 * the session had been read: two round trips one after the other before every submission. Here
 * the session middleware starts the count with the lookup, on two things this process learnt
 * earlier: that this method and path is a strict route (the guard tells it), and which user the
 * presented token belongs to (a session's user never changes; the lookup tells it). Neither is an
 * authentication decision: the count's own statement writes only if the token is a live session
 * of that user at that moment, and the lookup decides the request as always. The guard then takes
 * this request's count instead of counting it again (PostgresThrottlerStorage.handOver).
 *
 * Counted early only what would be counted anyway: a request whose session is live when the count
 * is written and then found gone by the lookup (a sign-out in between) has counted one hit
 * against that user, the hit its still-live session made.
 */
@Injectable()
export class EarlyStrictCount {
  private readonly strictPaths = new Set<string>();
  /** Token hash -> its session's user. */
  private readonly users = new Map<string, string>();

  constructor(private readonly storage: PostgresThrottlerStorage) {}

  /** The session middleware, before its lookup: counts now when this request's path and token are known. */
  start(req: Request, tokenHash: string): void {
    if (!this.strictPaths.has(pathOf(req))) return;
    const userId = this.users.get(tokenHash);
    if (userId === undefined) return;
    const counted = this.storage.countEarly(rateLimitKey(STRICT_THROTTLER, userTracker(userId)), WINDOW_MS, { tokenHash, userId });
    // Handled where the guard takes it; a request refused before the guard must not leave it unhandled.
    counted.catch(() => undefined);
    (req as WithEarly)[EARLY] = { userId, counted };
  }

  /** The session middleware, after a lookup that found a live session. */
  rememberUser(tokenHash: string, userId: string): void {
    if (this.users.get(tokenHash) === userId) return;
    if (this.users.size >= USERS) this.users.clear();
    this.users.set(tokenHash, userId);
  }

  /**
   * The guard, about to count `key` (the strict key of this request's signed-in user): learns the
   * route, and hands this request's early count to the storage when it counted this very key.
   */
  handOverFor(req: Request, key: string, userId: string | undefined): void {
    const path = pathOf(req);
    if (userId !== undefined && !this.strictPaths.has(path)) {
      if (this.strictPaths.size >= STRICT_PATHS) this.strictPaths.clear();
      this.strictPaths.add(path);
    }
    const early = (req as WithEarly)[EARLY];
    if (early === undefined) return;
    delete (req as WithEarly)[EARLY];
    if (early.userId === userId) this.storage.handOver(key, early.counted);
  }
}

/** Method and path without the query; `originalUrl`, since a mounted middleware's `req.path` is relative to its mount point. */
const pathOf = (req: Request) => `${req.method} ${req.originalUrl.split('?', 1)[0]}`;
