import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '@mpp/db';
import { findFreePort } from '@mpp/testing';

const DATABASE = 'reliability';

/**
 * A PostgreSQL server of the test's own, so it can be stopped and started again without touching
 * the run's shared server. Persistent, so a stop keeps the data, as a real outage would.
 */
export interface PrivatePostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (if running) and deletes its files. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mpp-reliability-pg-'));
  const port = await findFreePort();
  const boot = () => startEmbeddedPostgres({ dataDir, port, persistent: true });
  let server: RunningPostgres | undefined = await boot();
  await server.ensureDatabase(DATABASE);
  const url = server.urlFor(DATABASE);
  return {
    url,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      if (!server) server = await boot();
    },
    async destroy() {
      await server?.stop();
      server = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
