import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@mpp/config';
import { ProjectorModule } from './projector.module.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    throw new ConfigError([{ variable: 'DATABASE_URL', message: 'required to run the projector on its own (npm start provides the embedded one)' }]);
  }
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot({ config, databaseUrl: config.DATABASE_URL }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Exit 0 once the shutdown hooks have drained (Nest re-raises the signal otherwise, and the process dies by it).
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.init();
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Projector failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
