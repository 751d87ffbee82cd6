import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Name of the stricter throttler; its limit is RATE_LIMIT_STRICT_PER_MINUTE. */
export const STRICT_THROTTLER = 'strict';
const STRICT_ROUTE = 'mpp:strict-rate-limit';

/**
 * Puts a route under the stricter limit too (on top of the global one). For routes that are costly or
 * attractive to abuse, e.g. `POST /api/verifications`. Every `/auth/*` route has it already.
 */
export const StrictRateLimit = () => SetMetadata(STRICT_ROUTE, true);

export function isStrictRoute(context: ExecutionContext): boolean {
  if (Reflect.getMetadata(STRICT_ROUTE, context.getHandler()) || Reflect.getMetadata(STRICT_ROUTE, context.getClass())) return true;
  if (context.getType() !== 'http') return false;
  return context.switchToHttp().getRequest<Request>().path.startsWith('/auth/');
}

/** Probes from orchestrators and Prometheus are not clients to slow down. */
export const OPERATIONS_PROBES: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

export function isOperationsProbe(context: ExecutionContext): boolean {
  if (context.getType() !== 'http') return true;
  const path = context.switchToHttp().getRequest<Request>().path;
  return OPERATIONS_PROBES.has(path);
}
