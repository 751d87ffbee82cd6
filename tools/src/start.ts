import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '@mpp/config';
import { createKnex, migrateToLatest } from '@mpp/db';
import { startNodeChild, stopChildren, waitForHttp, type ManagedChild } from './dev/child-processes.js';
import { appLogins, provisionAppLogins } from './dev/app-logins.js';
import { openDatabase, REPO_ROOT } from './dev/embedded-database.js';
import { seedDemo } from './demo/seed-demo.js';
import { developmentSigningKey } from './dev/development-signing-key.js';

const log = (line: string) => process.stdout.write(`[start] ${line}\n`);

/**
 * `npm start`: the whole product on one machine with nothing but Node — embedded PostgreSQL,
 * migrations, then api, projector and the SSR web server as child processes. Ctrl-C stops all.
 */
async function main(): Promise<void> {
  // Production is every process's default; `npm start` is the local product, so it opts into
  // development, the demo sign-in and the dev mailbox. An explicit value in the environment still wins.
  process.env.NODE_ENV ??= 'development';
  process.env.AUTH_DEV_LOGIN ??= '1';
  process.env.AUDIT_SIGNING_KEY ??= developmentSigningKey(log);
  process.env.DEV_MAILBOX ??= '1';
  // The demo has no Stripe account, so the Pro page shows these monthly prices (docs/integrations.md).
  process.env.PRO_DISPLAY_PRICES ??= 'USD:499,CAD:649,GBP:449,EUR:499,AUD:749,NZD:799';
  const config = loadConfig();
  const database = await openDatabase(config, log);
  const children: ManagedChild[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await stopChildren(children);
    await database.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  // Migrations as the owner; the API and the projector as their least-privilege logins.
  const logins = appLogins(config, database.url, database.embedded);
  const knex = createKnex(logins.ownerUrl);
  try {
    const applied = await migrateToLatest(knex);
    log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema up to date');
    for (const line of await provisionAppLogins(knex, logins)) log(`database role: ${line}`);
  } finally {
    await knex.destroy();
  }

  const apiUrl = `http://127.0.0.1:${config.API_PORT}`;
  const webUrl = `http://localhost:${config.WEB_PORT}`;
  const env = {
    // One person on one machine: the demo seeding alone sends a few thousand requests.
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_STRICT_PER_MINUTE: '1000',
    ...withoutOwnerSettings(process.env),
    DATABASE_URL: logins.apiUrl,
    API_PORT: String(config.API_PORT),
    API_URL: apiUrl,
    WEB_PORT: String(config.WEB_PORT),
    PUBLIC_BASE_URL: config.PUBLIC_BASE_URL,
  };
  const onExit = (name: string) => (code: number | null) => {
    if (!stopping) {
      log(`${name} exited (code ${code}); stopping everything`);
      void shutdown(1);
    }
  };
  const start = (name: string, script: string, extraEnv: Record<string, string> = {}) => {
    const child = startNodeChild(name, resolve(REPO_ROOT, script), { ...env, ...extraEnv }, onExit(name));
    children.push(child);
    return child;
  };
  const api = start('api', 'apps/api/dist/main.js');
  start('projector', 'apps/projector/dist/main.js', { DATABASE_URL: logins.projectorUrl });
  // The SSR bundle has no development behaviour worth having; in development Express would put
  // stack traces in its error pages.
  const web = start('web', 'apps/web/dist/web/server/server.mjs', { NODE_ENV: 'production' });

  await waitForHttp(`${apiUrl}/health`, 60_000, () => api.process.exitCode === null);
  // The demo catalog goes in through the real API (commands, events, projections); a re-run adds
  // only what is new, so restarting keeps the data and freshens prices.
  const seeded = await seedDemo(apiUrl, { now: new Date(), log: (line) => log(`demo: ${line}`) });
  log(`demo catalog ${seeded.skipped ? 'already loaded' : 'loaded'} (log position ${seeded.position})`);
  await waitForHttp(`http://127.0.0.1:${config.WEB_PORT}/`, 60_000, () => web.process.exitCode === null);
  log('MotoPartPicker is running:');
  log(`  web  ${webUrl}`);
  log(`  api  http://localhost:${config.API_PORT}/api  (docs: http://localhost:${config.API_PORT}/api/docs)`);
  log('Ctrl-C stops everything.');
}

/** The apps never see the owner's credentials nor the other app's. */
function withoutOwnerSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_OWNER_URL: _owner, API_DATABASE_URL: _api, PROJECTOR_DATABASE_URL: _projector, ...rest } = env;
  return rest;
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `npm start failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
