import { resolve } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '@mpp/db';
import type { AppConfig } from '@mpp/config';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const DATABASE_NAME = 'motopartpicker';

export interface DatabaseHandle {
  url: string;
  /** The embedded server of `.data/` (we are its superuser), not a configured DATABASE_URL. */
  embedded: boolean;
  /** Stops the embedded server; a no-op for an external DATABASE_URL. */
  stop(): Promise<void>;
}

/** The configured database, or PostgreSQL from npm with its data under `.data/` (kept between runs). */
export async function openDatabase(config: AppConfig, log: (line: string) => void): Promise<DatabaseHandle> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {} };
  const dataDir = resolve(REPO_ROOT, '.data/postgres');
  log(`starting embedded PostgreSQL (data in ${dataDir}, port ${config.EMBEDDED_PG_PORT})`);
  const server: RunningPostgres = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_PG_PORT, persistent: true });
  await server.ensureDatabase(DATABASE_NAME);
  return { url: server.urlFor(DATABASE_NAME), embedded: true, stop: () => server.stop() };
}
