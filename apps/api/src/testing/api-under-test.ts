import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@mpp/config';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { createApiApp } from '../create-api-app.js';

export interface ApiUnderTest {
  app: NestExpressApplication;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real API wired to a fresh migrated database, as its least-privilege role; requests go through supertest over HTTP. */
export async function startApiUnderTest(env: Record<string, string> = {}, options: { logDestination?: NodeJS.WritableStream } = {}): Promise<ApiUnderTest> {
  const db = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_DEV_LOGIN: '1', DEV_MAILBOX: '1', ...env });
  // Modules log their configuration while being defined, before pino (silent here) takes over.
  Logger.overrideLogger(false);
  const app = await createApiApp({ config, databaseUrl: db.apiUrl, logDestination: options.logDestination });
  await app.init();
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
