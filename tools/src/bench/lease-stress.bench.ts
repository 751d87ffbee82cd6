/**
 * Lease stress check: one projector process (leases on) catches up a generated log while CPU
 * burners keep the machine busy, and the run counts how often its leases were lost on the way.
 * Before the lease fence (docs/operations.md, "Lease churn under load") such a catch-up lost every
 * lease every few seconds and never finished.
 *
 *   npm run bench:lease-stress                         20,000 events, one burner per core
 *   npm run bench:lease-stress -- --events N --burners B --limit-s S
 *
 * Bounded: the burners are child processes that stop themselves after the time limit, and the run
 * gives up (finished: false) at that limit too. Results: bench/results/lease-stress.json. A
 * benchmark reports; it never asserts on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKnex, migrateToLatest, type Knex } from '@mpp/db';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { startNodeChild, stopChildren, type ManagedChild } from '../dev/child-processes.js';
import { generateIntoStore, planForEvents } from '@mpp/generator';
import { benchCommonEnv } from './bench-api-env.js';
import { openScratchDatabase } from './bench-postgres.js';
import { elapsedSeconds, machineInfo, REPO_ROOT, round, writeBenchResult } from './bench-report.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    burners: { type: 'string', default: String(os.cpus().length) },
    'limit-s': { type: 'string', default: '600' },
  },
  strict: true,
});
const events = Number(args.events);
const burners = Number(args.burners);
const limitMs = Number(args['limit-s']) * 1000;

/** What the projector logs when a lease goes or a batch is fenced off; each line is one occurrence. */
const SIGNS = {
  ranOut: 'ran out before it could be renewed',
  lost: 'was lost; stopping it here',
  fenced: 'is no longer held by',
  checkpointMoved: 'was moved by another runner',
  slowRenewal: 'lease renewal took',
} as const;

/** A busy loop in its own process that ends itself at `untilMs` (epoch), whatever happens to this one. */
function startBurner(untilMs: number): ChildProcess {
  return spawn(process.execPath, ['-e', `const end = ${untilMs}; let x = 0; while (Date.now() < end) x = (x * 31 + 7) % 1000003;`], { stdio: 'ignore' });
}

async function caughtUp(knex: Knex, head: bigint): Promise<boolean> {
  const rows: { projection: string; state: string; position: string }[] = await knex('projection_checkpoints').select('projection', 'state', 'position');
  return ALL_PROJECTIONS.every((p) => {
    const own = rows.filter((r) => r.projection === p.name);
    const active = own.filter((r) => r.state === 'active');
    return active.length === 1 && BigInt(active[0]!.position) >= head && !own.some((r) => r.state === 'building');
  });
}

async function main(): Promise<void> {
  const database = await openScratchDatabase();
  const knex = createKnex(database.url, { applicationName: 'mpp-bench-lease-stress', poolMax: 2 });
  const children: ManagedChild[] = [];
  const burning: ChildProcess[] = [];
  try {
    await migrateToLatest(knex);
    const generated = await generateIntoStore({ connectionString: database.url, plan: planForEvents(events), seed: 'lease-stress' });
    const head = BigInt(generated.lastPosition);
    console.log(`[lease-stress] generated ${generated.events} events; ${burners} burner(s), limit ${limitMs / 1000} s`);

    const deadline = Date.now() + limitMs;
    for (let i = 0; i < burners; i++) burning.push(startBurner(deadline));
    const counts = Object.fromEntries(Object.keys(SIGNS).map((k) => [k, 0])) as Record<keyof typeof SIGNS, number>;
    const started = process.hrtime.bigint();
    const projector = startNodeChild('projector', resolve(REPO_ROOT, 'apps/projector/dist/main.js'), { PATH: process.env['PATH'] ?? '', ...benchCommonEnv(database.url), PROJECTOR_LEASES: '1' }, () => {});
    children.push(projector);
    const count = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) for (const [key, sign] of Object.entries(SIGNS)) if (line.includes(sign)) counts[key as keyof typeof SIGNS] += 1;
    };
    projector.process.stdout?.on('data', count);
    projector.process.stderr?.on('data', count);

    // The owner of every lease, sampled: a change away from a holder (to another, or to none) is a
    // hand-over; the first taking of a free lease is not.
    const owners = new Map<string, string | null>();
    let handOvers = 0;
    const loads: number[] = [];
    let finished = false;
    while (Date.now() < deadline) {
      loads.push(os.loadavg()[0]!);
      for (const row of (await knex('projection_leases').select('projection', 'owner')) as { projection: string; owner: string | null }[]) {
        const before = owners.get(row.projection);
        if (before && before !== row.owner) handOvers += 1;
        owners.set(row.projection, row.owner);
      }
      if (await caughtUp(knex, head)) {
        finished = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = elapsedSeconds(started);
    const report = {
      benchmark: 'lease-stress',
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      events: generated.events,
      projections: ALL_PROJECTIONS.length,
      burners,
      limitSeconds: limitMs / 1000,
      finished,
      secondsToHead: finished ? round(seconds, 1) : null,
      loadAverage1m: { min: round(Math.min(...loads), 1), max: round(Math.max(...loads), 1) },
      leaseHandOvers: handOvers,
      projectorLog: counts,
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(`[lease-stress] wrote ${writeBenchResult('lease-stress', report)}`);
  } finally {
    for (const burner of burning) burner.kill('SIGKILL');
    await stopChildren(children);
    await knex.destroy();
    await database.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
