import { Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@mpp/config';
import { createApiApp } from '../../create-api-app.js';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * Outside production (no jobs scheduled), with the dev sign-in and dev mailbox on: the document lists every route a
 * developer's instance serves (production serves the same minus `/auth/dev-login` and `/api/dev/*`).
 */
const DOCUMENTED_MODE = { NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_DEV_LOGIN: '1', DEV_MAILBOX: '1' };

/**
 * The OpenAPI document without a database: building the app's modules opens no connection (that
 * happens at init, which this never runs), so the build and the tests can describe the API anywhere.
 */
export async function describeApi(): Promise<OpenAPIObject> {
  Logger.overrideLogger(false);
  const config = loadConfig(DOCUMENTED_MODE);
  const app = await createApiApp({ config, databaseUrl: 'postgres://unused@127.0.0.1:1/never-connected' });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The committed form: stable key order as built, two-space indent, trailing newline. */
export function serialiseOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
