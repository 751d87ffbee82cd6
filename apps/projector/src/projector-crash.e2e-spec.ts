import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { generationSchemas, readModelDifferences, requestRebuild } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, COMPATIBILITY_RECORDS } from '@mpp/projections';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { generateIntoStore, planForEvents, totalEvents } from '@mpp/generator';
import { buildProjector } from './testing/build-projector.js';
import { killPoints } from './testing/kill-points.js';
import { generations, headPosition, isCaughtUp, slowestPosition, waitFor } from './testing/projection-progress.js';
import { killAllProjectorProcesses, startProjectorProcess } from './testing/projector-process.js';

/**
 * 20,000 events that give every projection real work (fitment and verifications with their hash
 * chains, prices, builds, catalog) and lean on builds, which the builds projection applies one
 * statement at a time: the kills then land while the set-based projections are mid-build too.
 */
const PLAN = (() => {
  const plan = planForEvents(20_000, { parts: 500, fitmentPairs: 1_500, verificationEvents: 1_500, priceObservations: 2_500, buildEvents: 0 });
  return { ...plan, buildEvents: 20_000 - totalEvents(plan) };
})();
const NAMES = ALL_PROJECTIONS.map((p) => p.name);
const REBUILT = ALL_PROJECTIONS.filter((p) => p.name !== 'builds');

interface Kill {
  fraction: number;
  /** The slowest projection's checkpoint as the killed process left it. */
  leftAt: bigint;
}

/**
 * DESIGN §5: "a crash at any point resumes with identical results". The real projector (a child
 * process) is SIGKILLed at several points of a build of 20,000 generated events, restarted until it
 * has caught up, and every read-model table (public views and private state) must then equal, by
 * checksum, a clean build of the same events (the generator is deterministic) in another database.
 * Twice, with different seeds; and once more during a blue/green rebuild.
 */
describe('projector crash recovery', () => {
  beforeAll(async () => {
    await buildProjector();
  }, 120_000);

  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await killAllProjectorProcesses();
    await Promise.all(databases.map((db) => db.drop()));
  });

  async function twoDatabasesWithTheSameEvents(seed: string): Promise<[TestDatabase, TestDatabase, bigint]> {
    const [crashed, clean] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    databases.push(crashed, clean);
    await generateIntoStore({ connectionString: crashed.url, plan: PLAN, seed });
    await generateIntoStore({ connectionString: clean.url, plan: PLAN, seed });
    const head = await headPosition(crashed.knex);
    // The generator is deterministic, so both logs are the same, positions included.
    expect(await eventsDigest(clean.knex)).toEqual(await eventsDigest(crashed.knex));
    return [crashed, clean, head];
  }

  async function buildCleanly(db: TestDatabase, head: bigint): Promise<void> {
    const projector = startProjectorProcess(db.projectorUrl);
    await waitUntilCaughtUp(db.knex, head, projector);
    await projector.stop();
  }

  /** Starts the projector, kills it at each point, then lets a last one run until caught up. */
  async function crashRepeatedly(db: TestDatabase, head: bigint, seed: string, count: number): Promise<Kill[]> {
    const { fractions, jitterMs } = killPoints(seed, count);
    const kills: Kill[] = [];
    for (const fraction of fractions) {
      const projector = startProjectorProcess(db.projectorUrl);
      const target = BigInt(Math.floor(Number(head) * fraction));
      let exited = false;
      void projector.exited.then(() => (exited = true));
      await waitFor(async () => exited || (await slowestPosition(db.knex, NAMES)) >= target, {
        timeoutMs: 180_000,
        describe: async () => `slowest projection below ${target}: ${JSON.stringify(await generations(db.knex))}\n${projector.output()}`,
      });
      if (exited) throw new Error(`the projector exited by itself before the kill at ${fraction}:\n${projector.output()}`);
      await new Promise((resolve) => setTimeout(resolve, jitterMs()));
      const { signal } = await projector.kill('SIGKILL');
      expect(signal).toBe('SIGKILL');
      kills.push({ fraction, leftAt: await slowestPosition(db.knex, NAMES) });
    }
    const last = startProjectorProcess(db.projectorUrl);
    await waitUntilCaughtUp(db.knex, head, last);
    await last.stop();
    return kills;
  }

  for (const seed of ['crash-seed-1', 'crash-seed-2']) {
    it(`rebuilds identical read models after 4 SIGKILLs during the first build (seed ${seed})`, async () => {
      const [crashed, clean, head] = await twoDatabasesWithTheSameEvents(seed);
      const [kills] = await Promise.all([crashRepeatedly(crashed, head, seed, 4), buildCleanly(clean, head)]);

      // Every kill interrupted a build that still had work to do.
      for (const kill of kills) expect(kill.leftAt).toBeLessThan(head);
      const { tables, differences } = await readModelDifferences(crashed.knex, clean.knex);
      expect(tables).toBeGreaterThanOrEqual(12);
      expect(differences).toEqual([]);
      expect(Number((await clean.knex(COMPATIBILITY_RECORDS).count({ n: '*' }))[0]!.n)).toBeGreaterThan(1_500);
      expect(Number((await crashed.knex('projection_dead_letters').count({ n: '*' }))[0]!.n)).toBe(0);

      if (seed === 'crash-seed-1') {
        // Blue/green: six projections rebuild beside their serving generations (builds, the slowest
        // to build from this mix, keeps serving its own); kill the projector mid-rebuild.
        const before = await generations(crashed.knex);
        for (const projection of REBUILT) await requestRebuild(crashed.knex, projection);
        const rebuildKills = await crashRepeatedly(crashed, head, `${seed}-rebuild`, 3);
        for (const kill of rebuildKills) expect(kill.leftAt).toBeLessThan(head);

        const after = await generations(crashed.knex);
        const active = after.filter((g) => g.state === 'active');
        for (const { name } of REBUILT) {
          const previous = before.find((g) => g.projection === name && g.state === 'active')!;
          expect(active.find((g) => g.projection === name)!.generation).toBeGreaterThan(previous.generation);
        }
        // Only the serving generations' schemas remain: the old ones were dropped after the switch.
        expect(await generationSchemas(crashed.knex)).toEqual(active.map((g) => g.schema_name).sort());
        expect((await readModelDifferences(crashed.knex, clean.knex)).differences).toEqual([]);
      }
    }, 480_000);
  }
});

async function waitUntilCaughtUp(knex: Knex, head: bigint, projector: { output(): string }): Promise<void> {
  await waitFor(() => isCaughtUp(knex, NAMES, head), {
    timeoutMs: 240_000,
    describe: async () => `not caught up with ${head}: ${JSON.stringify(await generations(knex))}\n${projector.output()}`,
  });
}

async function eventsDigest(knex: Knex): Promise<string> {
  const { rows } = await knex.raw<{ rows: { digest: string }[] }>(
    `SELECT md5(string_agg(position || ':' || stream_id || ':' || revision || ':' || event_id || ':' || data::text || metadata::text, ',' ORDER BY position)) AS digest FROM events`,
  );
  return rows[0]!.digest;
}
