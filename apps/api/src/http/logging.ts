import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '@mpp/config';

type RequestWithUser = IncomingMessage & { user?: { id: string }; route?: { path?: string }; originalUrl?: string };

/**
 * JSON logs with level, msg, route, userId, duration_ms and status. Nothing that identifies a
 * person: no headers (cookies, tokens), no bodies, no query strings (search text, emails).
 */
export function loggingParams(config: AppConfig, destination?: NodeJS.WritableStream): Params {
  return {
    pinoHttp: {
      ...(destination ? { stream: destination } : {}),
      level: config.LOG_LEVEL,
      quietReqLogger: true,
      customAttributeKeys: { responseTime: 'duration_ms' },
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      // Added once the response is known, so the route is the matched pattern, not a middleware's.
      customSuccessObject: (req: IncomingMessage, res: ServerResponse, value: Record<string, unknown>) => completion(req, res, value),
      customErrorObject: (req: IncomingMessage, res: ServerResponse, _error: Error, value: Record<string, unknown>) => completion(req, res, value),
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    },
  };
}

function completion(req: IncomingMessage, res: ServerResponse, value: Record<string, unknown>): Record<string, unknown> {
  const request = req as RequestWithUser;
  return { ...value, route: request.route?.path ?? request.originalUrl?.split('?')[0], userId: request.user?.id, status: res.statusCode };
}
