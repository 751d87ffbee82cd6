import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { API_PRIVILEGES, createKnex, migrateToLatest, PROJECTOR_PRIVILEGES, provisionLoginRole, withLogin, type Knex } from '@mpp/db';

export interface TestDatabase {
  /** As the owner (the role that migrates): for fixtures, inspection and the operator's CLI. */
  url: string;
  /** The owner's pool. */
  knex: Knex;
  /** As the API's least-privilege login (docs/reliability.md "Database roles"): what the API under test connects with. */
  apiUrl: string;
  /** As the projector's least-privilege login: what the projector under test connects with. */
  projectorUrl: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** Logins of the apps under test; roles belong to the server, so every suite's database shares them. */
const TEST_LOGINS = {
  api: { user: 'mpp_test_api', password: 'mpp_test_api', privileges: API_PRIVILEGES },
  projector: { user: 'mpp_test_projector', password: 'mpp_test_projector', privileges: PROJECTOR_PRIVILEGES },
} as const;

function adminUrl(): string {
  const url = process.env.MPP_TEST_PG_ADMIN_URL;
  if (!url) throw new Error('MPP_TEST_PG_ADMIN_URL is not set: run tests through `npm test` (jest globalSetup starts PostgreSQL)');
  return url;
}

/** A fresh, migrated database in the run's throwaway server, so suites never see each other's rows. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  await testLoginsReady();
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = adminUrl().replace(/\/postgres$/, `/${name}`);
  const knex = createKnex(url, { applicationName: 'mpp-test' });
  if (options.migrate !== false) await migrateToLatest(knex);
  return {
    url,
    knex,
    apiUrl: withLogin(url, TEST_LOGINS.api.user, TEST_LOGINS.api.password),
    projectorUrl: withLogin(url, TEST_LOGINS.projector.user, TEST_LOGINS.projector.password),
    async drop() {
      await knex.destroy();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

let loginsReady: Promise<void> | undefined;

/**
 * Once per worker: the apps' test logins exist. Workers start together, so they take turns under an
 * advisory lock of the maintenance database (advisory locks are per database, and they all use that one).
 */
function testLoginsReady(): Promise<void> {
  loginsReady ??= (async () => {
    const knex = createKnex(adminUrl(), { applicationName: 'mpp-test-roles', poolMax: 1 });
    try {
      await knex.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['mpp-test-logins']);
        const { rows } = await trx.raw<{ rows: { n: number }[] }>(
          `SELECT count(*)::int AS n FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
            WHERE (u.rolname, g.rolname) IN ((?, ?), (?, ?))`,
          [TEST_LOGINS.api.user, API_PRIVILEGES, TEST_LOGINS.projector.user, PROJECTOR_PRIVILEGES],
        );
        if (rows[0]!.n === 2) return;
        for (const login of Object.values(TEST_LOGINS)) {
          await provisionLoginRole(trx, withLogin(adminUrl(), login.user, login.password), login.privileges);
        }
      });
    } finally {
      await knex.destroy();
    }
  })();
  return loginsReady;
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
