import { readFileSync } from 'node:fs';

/**
 * CPU seconds spent during the load phase, per process, from /proc (Linux only; elsewhere nothing
 * is reported). On a shared machine a p99 can come from not getting a core at all: the API's,
 * PostgreSQL's and the load generator's seconds beside the machine's busy seconds say whether the
 * soak itself saturated the cores or something else on the machine took them.
 */
export interface CpuSeconds {
  api: number;
  /** The postmaster, its live backends, and the backends it reaped during the run. */
  postgres: number;
  /** This process: autocannon and the soak's own bookkeeping. */
  loadGenerator: number;
  /** Every core's busy time (not idle or iowait); what the rest leaves is projectors and other work on the machine. */
  machineBusy: number;
  cores: number;
  wallSec: number;
}

/** Clock ticks per second of /proc's times (USER_HZ), 100 on every Linux this runs on. */
const TICKS = 100;

export function cpuSampler(pids: { api: () => number | undefined; postmaster: () => number | undefined }): () => CpuSeconds | undefined {
  const take = () => {
    try {
      return {
        api: processTicks(pids.api(), false),
        postgres: postgresTicks(pids.postmaster()),
        self: processTicks(process.pid, false),
        machine: machineTicks(),
        at: Date.now(),
      };
    } catch {
      return undefined;
    }
  };
  const start = take();
  return () => {
    const end = take();
    if (!start || !end) return undefined;
    const sec = (a: number, b: number) => Math.round(((b - a) / TICKS) * 10) / 10;
    return {
      api: sec(start.api, end.api),
      postgres: sec(start.postgres, end.postgres),
      loadGenerator: sec(start.self, end.self),
      machineBusy: sec(start.machine.busy, end.machine.busy),
      cores: end.machine.cores,
      wallSec: Math.round((end.at - start.at) / 100) / 10,
    };
  };
}

/** utime + stime (+ the reaped children's, when asked) of one process; 0 when it is gone. */
function processTicks(pid: number | undefined, withReapedChildren: boolean): number {
  if (pid === undefined) return 0;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  return utime! + stime! + (withReapedChildren ? cutime! + cstime! : 0);
}

function postgresTicks(postmaster: number | undefined): number {
  if (postmaster === undefined) return 0;
  let total = processTicks(postmaster, true);
  for (const pid of childrenOf(postmaster)) total += processTicks(pid, false);
  return total;
}

function childrenOf(parent: number): number[] {
  try {
    return readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function machineTicks(): { busy: number; cores: number } {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  // cpu user nice system idle iowait irq softirq steal ...
  const all = lines[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = all.reduce((sum, v) => sum + v, 0) - all[3]! - all[4]!;
  return { busy, cores: lines.filter((l) => /^cpu\d+ /.test(l)).length };
}
