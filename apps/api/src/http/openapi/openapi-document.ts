import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SAFE_METHODS } from '../../auth/authenticated.guard.js';
import { SESSION_COOKIE } from '../../auth/request-auth.js';
import { OPERATIONS_PROBES } from '../rate-limit/strict-rate-limit.decorator.js';
import { problemResponse } from './api-problems.decorator.js';
import { ProblemDetailsSchema } from './problem-details.schema.js';

/** Security scheme names; @Authenticated declares SESSION_SCHEME, completeOperations adds CSRF_SCHEME. */
export const SESSION_SCHEME = 'session';
export const CSRF_SCHEME = 'csrf';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** The OpenAPI document of the app's routes (served at /api/docs/openapi.json, committed as apps/api/openapi.json). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MotoPartPicker API')
    .setDescription('Which motorcycle parts fit your bike, what they cost right now, and why we believe it fits. Errors are RFC 9457 problem+json.')
    .setVersion('1')
    .addServer('/', 'this host')
    .addSecurity(SESSION_SCHEME, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'the HTTP-only session cookie set by sign-in' })
    .addSecurity(CSRF_SCHEME, {
      type: 'apiKey',
      in: 'header',
      name: 'X-CSRF-Token',
      description: 'double-submit token: the value of the readable `csrf` cookie (also `csrfToken` of GET /api/me); required on every session-authenticated mutation',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsSchema] });
  // RFC 9457 lets a problem carry extension members (`entity`, `reason`, `retryAfter`...).
  Object.assign(document.components?.schemas?.['ProblemDetails'] ?? {}, { additionalProperties: true });
  completeOperations(document);
  return document;
}

/**
 * What holds for every operation, so no route has to repeat it (and a new route cannot forget it):
 * - security: an operation @Authenticated did not mark is public (`security: []`); a session-
 *   authenticated mutation also needs the CSRF header, by the guard's own SAFE_METHODS rule;
 * - any request can be refused as invalid (400), and every route but the operations probes is rate
 *   limited (429), both as problem+json.
 */
export function completeOperations(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.security = (operation.security ?? []).map((requirement) =>
        SESSION_SCHEME in requirement && !SAFE_METHODS.has(method.toUpperCase()) ? { ...requirement, [CSRF_SCHEME]: [] } : requirement,
      );
      operation.responses['400'] ??= problemResponse(400);
      if (!OPERATIONS_PROBES.has(path)) operation.responses['429'] ??= problemResponse(429);
    }
  }
}
