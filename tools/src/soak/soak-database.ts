import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createKnex, migrateToLatest, startEmbeddedPostgres, type Knex, type RunningPostgres } from '@mpp/db';

/**
 * The soak's own PostgreSQL (never a developer's or the test run's), persistent so that stopping it
 * for an outage keeps the data, deleted at the end.
 */
export interface SoakDatabase {
  url(database: string): string;
  knex(database: string): Knex;
  /** Creates and migrates a database. */
  create(database: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
  /** The running server's postmaster (for its CPU time); undefined while stopped. */
  postmasterPid(): number | undefined;
}

export async function startSoakDatabase(): Promise<SoakDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mpp-soak-pg-'));
  const port = await freePort();
  const boot = () => startEmbeddedPostgres({
      dataDir,
      port,
      persistent: true,
      // The report's top statements (soak-waits.ts).
      settings: { shared_preload_libraries: 'pg_stat_statements' },
    });
  let server: RunningPostgres | undefined = await boot();
  const pools: Knex[] = [];
  const urlFor = (database: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor,
    knex(database) {
      const knex = createKnex(urlFor(database), { applicationName: 'mpp-soak' });
      pools.push(knex);
      return knex;
    },
    async create(database) {
      await server!.ensureDatabase(database);
      const knex = createKnex(urlFor(database), { applicationName: 'mpp-soak-migrate' });
      await migrateToLatest(knex).finally(() => knex.destroy());
      return urlFor(database);
    },
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      if (!server) server = await boot();
    },
    postmasterPid() {
      if (!server) return undefined;
      try {
        return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        return undefined;
      }
    },
    async destroy() {
      await Promise.all(pools.map((k) => k.destroy()));
      await server?.stop();
      server = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
