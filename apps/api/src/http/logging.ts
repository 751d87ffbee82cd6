import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '@mpp/config';

type RequestWithUser = IncomingMessage & { user?: { id: string }; route?: { path?: string }; originalUrl?: string };

/**
 * JSON logs with level, msg, route, userId, duration_ms and status. Nothing that identifies a
 * person: no headers (cookies, tokens), no bodies, no query strings (search text, emails).
 */
export function loggingParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      quietReqLogger: true,
      customAttributeKeys: { responseTime: 'duration_ms' },
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customProps: (req: IncomingMessage, res: ServerResponse) => {
        const request = req as RequestWithUser;
        return {
          route: request.route?.path ?? request.originalUrl?.split('?')[0],
          userId: request.user?.id,
          status: res.statusCode,
        };
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    },
  };
}
