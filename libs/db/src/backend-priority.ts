import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import type pg from 'pg';

/** What lowerBackendPriority changed: nothing (not a backend it may touch), or these. */
export interface LoweredPriority {
  /** The backend's own niceness (what counts where the kernel schedules processes one by one). */
  process: boolean;
  /** The niceness of the backend's autogroup (what counts where the kernel groups processes by session). */
  autogroup: boolean;
}

/**
 * Background work (the projector's batches) and the API's requests share the cores of a machine
 * that runs the database too, as the embedded default does. A query's CPU is spent in the
 * PostgreSQL backend serving the connection, not in the client, so the backend's priority is the
 * one to lower. That is possible only for a backend on this machine that runs as this user (or as
 * anyone, for root), and only safe for the very process serving this connection, so the process
 * is checked first: a PostgreSQL backend (its title starts with `postgres:`) whose title names
 * this connection's client port.
 *
 * Two knobs, because Linux has two ways to share the cores. With autogroup scheduling on (the
 * default of most distributions, and of this project's CI machine), the kernel first shares the
 * cores between sessions, and every PostgreSQL backend starts a session of its own (postmaster
 * children call setsid). A backend's own niceness then weighs only against itself: the renice
 * alone measured nothing (session 11). The autogroup's niceness (`/proc/<pid>/autogroup`) is what
 * gives its session a smaller share. Without autogroup, the process niceness counts.
 *
 * Any failure (a remote server, another user's backend, no /proc) leaves the connection as it was.
 */
export function lowerBackendPriority(connection: pg.Client, nice: number): LoweredPriority | undefined {
  // Both known once the connection is open (the backend sends its pid at start-up), so no query is
  // needed: a hook that queried would run beside the query the connection was opened for.
  const stream = (connection as unknown as { connection?: { stream?: { localPort?: number; remoteAddress?: string } } }).connection?.stream;
  const pid = (connection as unknown as { processID?: number | null }).processID;
  // A server elsewhere has its own pids and ports: one that happened to match a local backend's must not lower it.
  if (stream?.localPort === undefined || !isLoopback(stream.remoteAddress) || typeof pid !== 'number' || !isBackendOf(pid, stream.localPort)) return undefined;
  return { process: attempt(() => setPriority(pid, nice)), autogroup: attempt(() => setAutogroupNice(pid, nice)) };
}

/**
 * The hook that lowers each new connection's backend to `nice` (the pools' `onConnect`), or
 * undefined when `nice` asks for no change (0 or less): the one place that decides it.
 */
export function backendPriorityHook(nice: number): ((connection: pg.Client) => void) | undefined {
  if (!(nice > 0)) return undefined;
  return (connection) => void lowerBackendPriority(connection, nice);
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Lowers this process's main thread (its event loop), so background work here yields too; 0 or less changes nothing. */
export function lowerOwnPriority(nice: number): boolean {
  return nice > 0 && attempt(() => setPriority(nice));
}

function isBackendOf(pid: number, clientPort: number): boolean {
  try {
    const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return title.startsWith('postgres:') && title.includes(`(${clientPort})`);
  } catch {
    return false;
  }
}

/**
 * Only a backend alone in its autogroup: one that shares its postmaster's (a build without setsid)
 * or this process's would take every other backend, or this process, down with it.
 */
function setAutogroupNice(pid: number, nice: number): void {
  const file = `/proc/${pid}/autogroup`;
  if (!autogroupEnabled() || !existsSync(file)) throw new Error('no autogroup');
  const group = autogroupOf(pid);
  if (group === undefined || group === ownAutogroup() || group === autogroupOf(parentOf(pid))) throw new Error('shared autogroup');
  writeFileSync(file, String(nice));
}

function parentOf(pid: number): number {
  // The command name in field 2 may hold spaces; the fields after its closing parenthesis do not.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function autogroupOf(pid: number): string | undefined {
  try {
    return /^(\S+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** Read once: only a setsid would move this process to another autogroup, and it makes none. */
let own: string | undefined;
function ownAutogroup(): string | undefined {
  own ??= autogroupOf(process.pid);
  return own;
}

/** Read once: a sysctl, changed only by an administrator. */
let autogroup: boolean | undefined;
function autogroupEnabled(): boolean {
  if (autogroup === undefined) {
    try {
      autogroup = readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
    } catch {
      autogroup = false;
    }
  }
  return autogroup;
}

/** The niceness of a process's autogroup, or undefined where there is none (for tests and reports). */
export function autogroupNiceOf(pid: number): number | undefined {
  try {
    const nice = /nice (-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'))?.[1];
    return nice === undefined ? undefined : Number(nice);
  } catch {
    return undefined;
  }
}

function attempt(change: () => void): boolean {
  try {
    change();
    return true;
  } catch {
    return false;
  }
}
