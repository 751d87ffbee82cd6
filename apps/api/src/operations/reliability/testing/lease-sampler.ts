import type { Knex } from '@mpp/db';

interface LeaseRow {
  projection: string;
  owner: string | null;
  live: boolean;
}

/** What one sample found wrong, with when (ms since the sampler started). */
export interface LeaseViolation {
  atMs: number;
  projection: string;
  problem: string;
}

export interface LeaseSamples {
  samples: number;
  violations: LeaseViolation[];
  /** Per projector kill: how long until every projection it held was leased to a live process again (sample resolution). */
  movedWithinMs: number[];
  /** The longest stretch any projection went without a live lease (a hand-over or an expiry), in ms at sample resolution. */
  longestUnownedMs: number;
  /** At the first violation: the projector members and the projectors' sessions, to tell why. */
  diagnosis: unknown;
  /** Of each projection with a violation: every change of its owner the samples saw, to tell who held it and when. */
  histories: Record<string, string[]>;
}

/**
 * The product's promise (issue 21): a dead process's projections move within 5 s. A SIGKILLed
 * process leaves its leases until they expire (TTL 3 s); the others take them on a heartbeat (1 s).
 */
const TAKEOVER_BOUND_MS = 5_000;

const pidOf = (owner: string) => Number(owner.split(':')[1]);

/**
 * Samples `projection_leases` every `intervalMs` and judges each projection at that moment against
 * the projector processes the test knows to be alive. One row per projection means one owner at
 * most; the sampler checks that the owner is a live process of this test, allowing only the
 * takeover: a lease of a process killed less than 5 s ago, or no live lease for less than 5 s in a
 * row (an expiry or a hand-over). Anything else is a violation.
 */
export function sampleLeases(options: { knex: Knex; projections: readonly string[]; alive: () => ReadonlySet<number>; intervalMs: number }): {
  killed(pid: number): void;
  /** Goes on sampling until every kill's projections have moved (at most `settleMs` more), then stops. */
  stop(settleMs: number): Promise<LeaseSamples>;
} {
  const started = Date.now();
  const kills: { pid: number; at: number; held: string[]; movedAt?: number }[] = [];
  const unownedSince = new Map<string, number>();
  const violations: LeaseViolation[] = [];
  let longestUnownedMs = 0;
  let last: LeaseRow[] = [];
  let samples = 0;
  let running = true;
  let diagnosis: unknown;
  const seen = new Map<string, string>();
  const changes = new Map<string, string[]>();
  const record = (rows: LeaseRow[], atMs: number) => {
    for (const row of rows) {
      const state = `${row.owner ?? 'nobody'}${row.owner && !row.live ? ' (expired)' : ''}`;
      if (seen.get(row.projection) === state) continue;
      seen.set(row.projection, state);
      changes.set(row.projection, [...(changes.get(row.projection) ?? []), `${atMs} ms: ${state}`]);
    }
  };
  const diagnose = async () => ({
    members: (await options.knex.raw('SELECT member, heartbeat_at, expires_at > now() AS live FROM projector_members ORDER BY member')).rows,
    leases: (await options.knex.raw('SELECT projection, owner, expires_at FROM projection_leases ORDER BY projection')).rows,
    sessions: (
      await options.knex.raw(
        `SELECT pid, application_name, state, wait_event_type, wait_event, (now() - query_start)::text AS running_for, left(query, 160) AS query
           FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'mpp-projector%' ORDER BY application_name`,
      )
    ).rows,
  });

  const ownedByLive = (row: LeaseRow | undefined, alive: ReadonlySet<number>) => Boolean(row?.live && row.owner && alive.has(pidOf(row.owner)));

  const judge = (rows: LeaseRow[], now: number) => {
    const alive = options.alive();
    for (const name of options.projections) {
      const row = rows.find((r) => r.projection === name);
      const violation = (problem: string) => violations.push({ atMs: now - started, projection: name, problem });
      if (!row) {
        violation('no lease row');
        continue;
      }
      if (!row.live || !row.owner) {
        const since = unownedSince.get(name) ?? now;
        unownedSince.set(name, since);
        longestUnownedMs = Math.max(longestUnownedMs, now - since);
        if (now - since >= TAKEOVER_BOUND_MS) violation(`no live owner for ${now - since} ms`);
        continue;
      }
      unownedSince.delete(name);
      if (alive.has(pidOf(row.owner))) continue;
      const kill = kills.find((k) => k.pid === pidOf(row.owner!));
      if (!kill) violation(`leased to ${row.owner}, not a live projector of this test`);
      else if (now - kill.at >= TAKEOVER_BOUND_MS) violation(`still leased to ${row.owner}, SIGKILLed ${now - kill.at} ms ago`);
    }
    for (const kill of kills) {
      if (kill.movedAt === undefined && kill.held.every((name) => ownedByLive(rows.find((r) => r.projection === name), alive))) kill.movedAt = now;
    }
  };

  const loop = (async () => {
    while (running) {
      const tick = Date.now();
      const { rows } = await options.knex.raw<{ rows: LeaseRow[] }>('SELECT projection, owner, expires_at > now() AS live FROM projection_leases');
      last = rows;
      samples += 1;
      const before = violations.length;
      const now = Date.now();
      record(rows, now - started);
      judge(rows, now);
      if (before === 0 && violations.length > 0) diagnosis = await diagnose();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.intervalMs - (Date.now() - tick))));
    }
  })();

  return {
    /** Call just before the SIGKILL: the projections it held at the last sample are the ones to move. */
    killed(pid) {
      kills.push({ pid, at: Date.now(), held: last.filter((r) => r.live && r.owner !== null && pidOf(r.owner) === pid).map((r) => r.projection) });
    },
    async stop(settleMs) {
      const settleBy = Date.now() + settleMs;
      while (kills.some((k) => k.movedAt === undefined) && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
      running = false;
      await loop;
      const histories = Object.fromEntries([...new Set(violations.map((v) => v.projection))].map((name) => [name, changes.get(name) ?? []]));
      return { samples, violations, movedWithinMs: kills.map((k) => (k.movedAt === undefined ? Number.NaN : k.movedAt - k.at)), longestUnownedMs, diagnosis, histories };
    },
  };
}
