/**
 * What one process should hold: ceil(units / live processes), so that all units are taken (the
 * shares add up to at least the total) and no process carries more than one unit above another.
 */
export function fairShare(units: number, liveProcesses: number): number {
  return Math.ceil(units / Math.max(1, liveProcesses));
}

export interface LeaseChanges {
  /** Held beyond the share: stop these and hand their leases back. */
  release: string[];
  /** Free to try (not held here), and how many of them to take at most. */
  candidates: string[];
  acquireUpTo: number;
}

/** The step from what this process holds to its fair share; releases the last names first, so the choice is stable. */
export function planLeaseChanges(all: readonly string[], held: ReadonlySet<string>, share: number): LeaseChanges {
  const mine = all.filter((name) => held.has(name));
  if (mine.length > share) return { release: mine.slice(share), candidates: [], acquireUpTo: 0 };
  return { release: [], candidates: all.filter((name) => !held.has(name)), acquireUpTo: share - mine.length };
}
