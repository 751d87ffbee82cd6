import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { Server } from 'node:http';
import express from 'express';
import helmet from 'helmet';
import type { AppConfig } from '@mpp/config';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { createValidationPipe } from './request-validation.js';
import { MAX_BODY_DEPTH, MAX_KEYS_PER_OBJECT, rejectUnusableRequests } from './request-shape.js';
import { scanJsonShape } from './json-shape-scan.js';
import { RequestValidationFailed } from './request-validation.js';
import { answerUnparsableRequests } from './unparsable-requests.js';
import { compressResponses } from './compress-responses.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { pino } from 'pino';
import { AnswerCache } from './answer-cache/answer-cache.js';
import { ProjectionChanges } from './answer-cache/projection-changes.js';
import { headersSetBy, serveHeldAnswers } from './answer-cache/held-answers.js';
import { PostgresThrottlerStorage } from './rate-limit/postgres-throttler-storage.js';
import { RATE_LIMIT_WINDOW_MS } from './rate-limit/rate-limit.module.js';

export const JSON_BODY_LIMIT = '256kb';

/** Everything about the HTTP edge that is not a route: headers, body limits, validation, errors, docs. */
export function configureHttp(app: INestApplication, config: AppConfig, options: { logDestination?: NodeJS.WritableStream } = {}): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  limitSlowRequests(express.getHttpServer());
  answerUnparsableRequests(express.getHttpServer());
  express.set('trust proxy', config.TRUSTED_PROXIES);
  const common = { frameguard: { action: 'deny' as const }, hsts: { maxAge: 31536000, includeSubDomains: true } };
  // JSON answers need no sources at all; only the interactive API docs page loads its own scripts.
  const apiHeaders = helmet({ ...common, contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  app.use(
    serveHeldAnswers({
      cache: app.get(AnswerCache),
      changes: app.get(ProjectionChanges),
      rateLimit: { storage: app.get(PostgresThrottlerStorage), ttlMs: RATE_LIMIT_WINDOW_MS, limit: config.rateLimits.perMinute },
      // What enableCors below sets on a request without Origin (the only kind served there).
      headers: [...headersSetBy(apiHeaders), ['Access-Control-Allow-Credentials', 'true']],
      log: pino({ level: config.LOG_LEVEL }, options.logDestination ?? process.stdout),
    }),
  );
  express.use(jsonBodyParser());
  express.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false });
  app.use(rejectUnusableRequests);
  app.use(compressResponses());
  const docsHeaders = helmet({
    ...common,
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] } },
  });
  app.use((req: { path: string }, res: unknown, next: () => void) =>
    (req.path.startsWith('/api/docs') ? docsHeaders : apiHeaders)(req as never, res as never, next),
  );
  app.use(cookieParser());
  app.enableCors({ origin: config.CORS_ORIGINS, credentials: true });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
}

/**
 * Node holds a request whose body trickles in for 300 s by default (the probe saw ~310 s): a few
 * hundred slow clients would pin every socket. Whole request 30 s, headers 10 s; a late request
 * gets 408 problem+json (answerUnparsableRequests).
 */
export const REQUEST_TIMEOUT_MS = 30_000;
export const HEADERS_TIMEOUT_MS = 10_000;
/**
 * An idle keep-alive connection is closed by the API only long after its clients close it: the web
 * server's proxy (and any load balancer) reuses idle sockets, and with Node's 5 s on both sides a
 * socket the API closed could be picked for the next request on a busy machine, which the proxy
 * answers 502. Clients are told (`Keep-Alive: timeout=65`) and Node's agents close a second early.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function limitSlowRequests(server: Server): void {
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
}

/**
 * JSON bodies, shape-checked on the raw bytes before JSON.parse runs (see scanJsonShape); keeps the
 * raw bytes for signature checks (Stripe), which Nest's own `rawBody` option would otherwise do.
 */
function jsonBodyParser() {
  return express.json({
    limit: JSON_BODY_LIMIT,
    verify: (req, _res, bytes) => {
      (req as typeof req & { rawBody?: Buffer }).rawBody = bytes;
      const problem = scanJsonShape(bytes, { maxDepth: MAX_BODY_DEPTH, maxKeysPerObject: MAX_KEYS_PER_OBJECT });
      if (problem) throw new RequestValidationFailed([problem]);
    },
  });
}
