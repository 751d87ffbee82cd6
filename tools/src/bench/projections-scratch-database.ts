import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '@mpp/db';

export interface ScratchDatabase {
  url: string;
  /** True when the benchmark started its own PostgreSQL (and the server's files are this machine's). */
  embedded: boolean;
  dispose(): Promise<void>;
}

const CLUSTER_PREFIX = 'mpp-bench-pg-';

/**
 * A database the benchmark may fill and throw away: a scratch database on DATABASE_URL's server, or
 * an embedded PostgreSQL in a temporary directory (removed afterwards).
 */
export async function openScratchDatabase(): Promise<ScratchDatabase> {
  const name = `mpp_bench_${randomBytes(4).toString('hex')}`;
  const external = process.env.DATABASE_URL;
  if (external) {
    await adminQuery(external, `CREATE DATABASE ${name}`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    return { url: url.toString(), embedded: false, dispose: () => adminQuery(external, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  removeStaleClusters();
  const dataDir = mkdtempSync(join(os.tmpdir(), CLUSTER_PREFIX));
  let server: RunningPostgres | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    await server.ensureDatabase(name);
  } catch (error) {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return {
    url: running.urlFor(name),
    embedded: true,
    async dispose() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

/** A killed run leaves its cluster directory behind; anything older than a day is garbage. */
function removeStaleClusters(): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const entry of readdirSync(os.tmpdir())) {
    if (!entry.startsWith(CLUSTER_PREFIX)) continue;
    const dir = join(os.tmpdir(), entry);
    if (statSync(dir).mtimeMs < dayAgo) rmSync(dir, { recursive: true, force: true });
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
