import { ConfigError, loadConfig } from '@mpp/config';
import { lowerOwnPriority } from '@mpp/db';

// A stop asked for while the process is still loading (a deploy or a test stops a projector it just
// started) must end as a clean exit, not as a death by the signal: it is held until Nest's shutdown
// hooks exist, then honoured through them.
let stopAskedDuringBoot: NodeJS.Signals | undefined;
const holdStop = (signal: NodeJS.Signals) => {
  stopAskedDuringBoot = signal;
};
process.once('SIGTERM', holdStop);
process.once('SIGINT', holdStop);

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    throw new ConfigError([{ variable: 'DATABASE_URL', message: 'required to run the projector on its own (npm start provides the embedded one)' }]);
  }
  // Background work: the API's requests go first where both share the machine's cores (PROJECTOR_NICE).
  lowerOwnPriority(config.PROJECTOR_NICE);
  await import('reflect-metadata');
  const [{ NestFactory }, { Logger }, { ProjectorModule }] = await Promise.all([import('@nestjs/core'), import('nestjs-pino'), import('./projector.module.js')]);
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot({ config, databaseUrl: config.DATABASE_URL }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Exit 0 once the shutdown hooks have drained (Nest re-raises the signal otherwise, and the process dies by it).
  app.enableShutdownHooks([], { useProcessExit: true });
  process.off('SIGTERM', holdStop);
  process.off('SIGINT', holdStop);
  await app.init();
  if (stopAskedDuringBoot) process.kill(process.pid, stopAskedDuringBoot);
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Projector failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
