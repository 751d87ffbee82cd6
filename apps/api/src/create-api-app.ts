import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, type ApiOptions } from './app.module.js';
import { configureHttp } from './http/configure-http.js';
import { DeadlineCheckedExpressAdapter } from './http/deadline-checked-adapter.js';

/** Builds the API application without listening, so tests and main share one wiring. */
export async function createApiApp(options: ApiOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), new DeadlineCheckedExpressAdapter(), {
    bufferLogs: true,
    bodyParser: false,
    rawBody: true,
    // Nest's default exits the process on a wiring error; the caller decides (main exits non-zero,
    // a test fails alone instead of ending the whole Jest run).
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  configureHttp(app, options.config, { logDestination: options.logDestination });
  return app;
}
