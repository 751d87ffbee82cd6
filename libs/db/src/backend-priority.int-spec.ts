import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { autogroupNiceOf, backendPriorityHook, lowerBackendPriority } from './backend-priority.js';
import { createKnex } from './knex.js';

const backendPid = async (client: pg.Client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

/** Whether this kernel shares the cores by session first (then the backends' autogroups are what the priority changes). */
const autogroupOn = (() => {
  try {
    return readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
})();

describe('lowering the priority of a local backend (real PostgreSQL on this machine)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('lowers the backend serving the connection, its process and (where the kernel groups by session) its autogroup, and no other', async () => {
    const mine = new pg.Client({ connectionString: db.url });
    const other = new pg.Client({ connectionString: db.url });
    await Promise.all([mine.connect(), other.connect()]);
    try {
      const otherPid = await backendPid(other);
      const otherBefore = { process: getPriority(otherPid), autogroup: autogroupNiceOf(otherPid), ours: autogroupNiceOf(process.pid) };
      expect(lowerBackendPriority(mine, 7)).toEqual({ process: true, autogroup: autogroupOn });
      const minePid = await backendPid(mine);
      expect(getPriority(minePid)).toBe(7);
      if (autogroupOn) expect(autogroupNiceOf(minePid)).toBe(7);
      expect({ process: getPriority(otherPid), autogroup: autogroupNiceOf(otherPid), ours: autogroupNiceOf(process.pid) }).toEqual(otherBefore);
    } finally {
      await Promise.all([mine.end(), other.end()]);
    }
  });

  it('gives every connection of a knex pool made with the hook that niceness; no hook for a niceness of 0', async () => {
    expect(backendPriorityHook(0)).toBeUndefined();
    const knex = createKnex(db.url, { poolMax: 2, onConnect: backendPriorityHook(9) });
    try {
      const pids = await Promise.all([0, 1].map(() => knex.transaction(async (trx) => (await trx.raw<{ rows: { pid: number }[] }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')).rows[0]!.pid)));
      expect(new Set(pids).size).toBe(2);
      for (const pid of pids) expect(getPriority(pid)).toBe(9);
    } finally {
      await knex.destroy();
    }
  });

  it('leaves a connection alone when the process behind it cannot be confirmed as its backend', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const pid = await backendPid(client);
      const before = { process: getPriority(pid), autogroup: autogroupNiceOf(pid) };
      // The port this client is seen from, altered: the backend's title then names another client.
      const stream = (client as unknown as { connection: { stream: { localPort: number } } }).connection.stream;
      Object.defineProperty(stream, 'localPort', { value: stream.localPort + 1, configurable: true });
      expect(lowerBackendPriority(client, 5)).toBeUndefined();
      expect({ process: getPriority(pid), autogroup: autogroupNiceOf(pid) }).toEqual(before);
      // The right port, but a server that is not on this machine: its pids and ports are not ours to match.
      Object.defineProperty(stream, 'localPort', { value: stream.localPort - 1, configurable: true });
      Object.defineProperty(stream, 'remoteAddress', { value: '10.1.2.3', configurable: true });
      expect(lowerBackendPriority(client, 5)).toBeUndefined();
      expect({ process: getPriority(pid), autogroup: autogroupNiceOf(pid) }).toEqual(before);
    } finally {
      await client.end();
    }
  });
});
