import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '@mpp/db';

/**
 * One PostgreSQL server for a benchmark that compares several designs: each gets its own database
 * on the same server, so they share the machine, the settings and the fsync. Without DATABASE_URL
 * it is an embedded PostgreSQL in a temporary directory (removed on dispose); with it, scratch
 * databases on that server (dropped on dispose).
 */
export interface BenchPostgres {
  embedded: boolean;
  version: string;
  /** Creates an empty database and answers its URL. */
  createDatabase(label: string): Promise<string>;
  /**
   * Leaves WAL segment files ready for about `megabytes` of WAL, so that a timed phase does not
   * create them. A fresh cluster has none to spare: every 16 MB of WAL then makes the backend that
   * crosses the boundary zero-fill and fsync a new file while every other writer waits for it (a
   * stall of up to half a second on a busy disk, landing on whichever store is timed at the moment);
   * a server that has been running recycles old segments instead. Writes that much WAL (logical
   * messages, no table) and checkpoints, after which the old segments are renamed for reuse. Only
   * on the embedded server: a server given by DATABASE_URL is left as it is.
   */
  prepareWal(megabytes: number): Promise<void>;
  dispose(): Promise<void>;
}

const CLUSTER_PREFIX = 'mpp-bench-pg-';

export interface BenchPostgresOptions {
  /**
   * Load pg_stat_statements (embedded server only): a bench that counts the statements a scenario
   * sends. Off by default, as it adds its bookkeeping to every statement of the timed designs.
   */
  statementStatistics?: boolean;
}

export async function startBenchPostgres(options: BenchPostgresOptions = {}): Promise<BenchPostgres> {
  const external = process.env['DATABASE_URL'];
  const suffix = randomBytes(4).toString('hex');
  const nameFor = (label: string) => `mpp_bench_${label.replace(/[^a-z0-9_]/g, '_')}_${suffix}`;
  if (external) {
    const created: string[] = [];
    return {
      embedded: false,
      version: await serverVersion(external),
      async createDatabase(label) {
        const name = nameFor(label);
        await adminQuery(external, `CREATE DATABASE ${name}`);
        created.push(name);
        const url = new URL(external);
        url.pathname = `/${name}`;
        return url.toString();
      },
      async prepareWal() {},
      async dispose() {
        for (const name of created) await adminQuery(external, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  removeStaleClusters();
  const dataDir = mkdtempSync(join(os.tmpdir(), CLUSTER_PREFIX));
  let server: RunningPostgres | undefined;
  try {
    server = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      persistent: false,
      ...(options.statementStatistics ? { settings: { shared_preload_libraries: 'pg_stat_statements' } } : {}),
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return {
    embedded: true,
    version: await serverVersion(running.adminUrl),
    async createDatabase(label) {
      const name = nameFor(label);
      await running.ensureDatabase(name);
      return running.urlFor(name);
    },
    async prepareWal(megabytes) {
      if (megabytes <= 0) return;
      await adminQuery(
        running.adminUrl,
        `SELECT count(pg_logical_emit_message(false, 'mpp-bench-wal', repeat('x', 1048576))) FROM generate_series(1, ${Math.ceil(megabytes)})`,
      );
      await adminQuery(running.adminUrl, 'CHECKPOINT');
    },
    async dispose() {
      try {
        await running.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export interface ScratchDatabase {
  url: string;
  /** True when the benchmark started its own PostgreSQL (and the server's files are this machine's). */
  embedded: boolean;
  dispose(): Promise<void>;
}

/** One database a benchmark may fill and throw away, on the same kind of server as startBenchPostgres. */
export async function openScratchDatabase(options: BenchPostgresOptions = {}): Promise<ScratchDatabase> {
  const server = await startBenchPostgres(options);
  try {
    return { url: await server.createDatabase('scratch'), embedded: server.embedded, dispose: () => server.dispose() };
  } catch (error) {
    await server.dispose();
    throw error;
  }
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

export function freePort(): Promise<number> {
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
