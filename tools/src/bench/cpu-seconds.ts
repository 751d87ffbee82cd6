import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from '@mpp/db';

/**
 * CPU seconds spent so far, to put beside a wall time: on a shared 2-core machine wall time mixes
 * our work with everyone else's, CPU seconds do not. Differences of two readings are what counts.
 */
export interface CpuReading {
  /** This Node process (user + system). */
  benchProcess: number;
  /** The PostgreSQL server: the postmaster, its live children and the children it has reaped; undefined for a server elsewhere. */
  postgres: number | undefined;
}

export async function readCpu(knex: Knex, serverIsLocal: boolean): Promise<CpuReading> {
  const usage = process.cpuUsage();
  return { benchProcess: (usage.user + usage.system) / 1e6, postgres: serverIsLocal ? await postgresCpuSeconds(knex) : undefined };
}

export function cpuSpent(before: CpuReading, after: CpuReading): CpuReading {
  return {
    benchProcess: after.benchProcess - before.benchProcess,
    postgres: before.postgres === undefined || after.postgres === undefined ? undefined : after.postgres - before.postgres,
  };
}

/** Linux /proc only; undefined where it cannot be read. */
async function postgresCpuSeconds(knex: Knex): Promise<number | undefined> {
  try {
    const directory = (await knex.raw<{ rows: { data_directory: string }[] }>('SHOW data_directory')).rows[0]!.data_directory;
    const postmaster = Number(readFileSync(join(directory, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const ticks = clockTicks();
    // A backend that exited is in the postmaster's cutime/cstime once reaped; live ones are read one by one.
    const own = statOf(postmaster);
    let total = own.utime + own.stime + own.cutime + own.cstime;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const child = statOf(Number(entry), true);
      if (child?.ppid === postmaster) total += child.utime + child.stime;
    }
    return total / ticks;
  } catch {
    return undefined;
  }
}

interface ProcStat {
  ppid: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
}

function statOf(pid: number): ProcStat;
function statOf(pid: number, mayBeGone: true): ProcStat | undefined;
function statOf(pid: number, mayBeGone = false): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if (mayBeGone) return undefined;
    throw error;
  }
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return { ppid: field(4), utime: field(14), stime: field(15), cutime: field(16), cstime: field(17) };
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}
