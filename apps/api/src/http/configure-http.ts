import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type { AppConfig } from '@mpp/config';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { createValidationPipe } from './request-validation.js';
import { rejectUnusableRequests } from './request-shape.js';
import { answerUnparsableRequests } from './unparsable-requests.js';
import { compressResponses } from './compress-responses.js';

export const JSON_BODY_LIMIT = '256kb';

/** Everything about the HTTP edge that is not a route: headers, body limits, validation, errors, docs. */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  answerUnparsableRequests(express.getHttpServer());
  express.set('trust proxy', 'loopback');
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  express.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false });
  app.use(rejectUnusableRequests);
  app.use(compressResponses());
  const common = { frameguard: { action: 'deny' as const }, hsts: { maxAge: 31536000, includeSubDomains: true } };
  // JSON answers need no sources at all; only the interactive API docs page loads its own scripts.
  const apiHeaders = helmet({ ...common, contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
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
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('MotoPartPicker API').setVersion('1').addCookieAuth('mpp_session').build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
