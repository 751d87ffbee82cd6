import { ConfigError, loadConfig } from '@mpp/config';
import { createApiApp } from './create-api-app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    throw new ConfigError([{ variable: 'DATABASE_URL', message: 'required to run the API on its own (npm start provides the embedded one)' }]);
  }
  const app = await createApiApp({ config, databaseUrl: config.DATABASE_URL });
  await app.listen(config.API_PORT, config.API_HOST);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`API failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
