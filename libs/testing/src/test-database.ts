import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createKnex, migrateToLatest, type Knex } from '@mpp/db';

export interface TestDatabase {
  url: string;
  knex: Knex;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.MPP_TEST_PG_ADMIN_URL;
  if (!url) throw new Error('MPP_TEST_PG_ADMIN_URL is not set: run tests through `npm test` (jest globalSetup starts PostgreSQL)');
  return url;
}

/** A fresh, migrated database in the run's throwaway server, so suites never see each other's rows. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = adminUrl().replace(/\/postgres$/, `/${name}`);
  const knex = createKnex(url, { applicationName: 'mpp-test' });
  if (options.migrate !== false) await migrateToLatest(knex);
  return {
    url,
    knex,
    async drop() {
      await knex.destroy();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
