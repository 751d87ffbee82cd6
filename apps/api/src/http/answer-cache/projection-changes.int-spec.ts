import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex, type Knex } from '@mpp/db';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { PROJECTION_PROGRESS_CHANNEL, ProjectionRunner, findGeneration, qualify, type ProjectionProgress } from '@mpp/projection-runner';
import { VERIFICATION_LOG_VERSIONS, partVerificationsKey, verificationLogProjection } from '@mpp/projections';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { AnswerCache, type CachedAnswer } from './answer-cache.js';
import { ProjectionChanges } from './projection-changes.js';

const PROJECTION = verificationLogProjection.name;
const counters = { hit: () => undefined, miss: () => undefined, joined: () => undefined, refused: () => undefined, evicted: () => undefined };
const answer = (key: string): CachedAnswer => ({ family: 'trail', route: '/r', identity: Buffer.from('{}'), etag: '"e"', keys: [key], validUntil: Number.POSITIVE_INFINITY });
const PARTS = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
const KEYS = PARTS.map(partVerificationsKey);

/**
 * The commit notices of a key-versioned projection as the API applies them, with the projector's
 * part played by the test: it writes versions and the checkpoint as a batch would, and sends the
 * notice a batch would send (or none, as a bulk batch). Whether a notice names its keys or not,
 * no answer of a key that moved at or before the noticed position survives the notice.
 */
describe('ProjectionChanges (the answer cache follows commit notices)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let apiKnex: Knex;
  let cache: AnswerCache;
  let changes: ProjectionChanges;
  let versions: string;
  let generation: number;

  /** What a batch commits: the keys' versions and the checkpoint, and its notice unless `silent`. */
  const commitBatch = async (from: number, position: number, moved: string[], notice: 'keys' | 'no keys' | 'silent') => {
    await db.knex.transaction(async (trx) => {
      for (const key of moved) {
        await trx.raw(`INSERT INTO ${versions} (key, position) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET position = EXCLUDED.position`, [key, position]);
      }
      await trx('projection_checkpoints').where({ projection: PROJECTION, generation }).update({ position });
      if (notice === 'silent') return;
      const progress: ProjectionProgress = { projection: PROJECTION, generation, position: String(position), ...(notice === 'keys' ? { from: String(from), keys: moved } : {}) };
      await trx.raw('SELECT pg_notify(?, ?)', [PROJECTION_PROGRESS_CHANNEL, JSON.stringify(progress)]);
    });
  };
  const applied = async (position: number) => {
    const { consistent, synced } = await changes.waitFor([PROJECTION], BigInt(position), 10_000);
    expect({ consistent, synced }).toEqual({ consistent: true, synced: true });
  };
  const cacheAll = () => KEYS.forEach((key, i) => cache.store(`answer-${i}`, answer(key), cache.mark()));
  const held = () => KEYS.map((_, i) => cache.peek(`answer-${i}`, 0, (held) => held) !== undefined);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
    // On an empty log the first generation serves at once; the runner is stopped so only the test writes.
    const runner = new ProjectionRunner({ knex: db.knex, store, projections: [verificationLogProjection] });
    await runner.start();
    await runner.stop();
    generation = 1;
    const active = await findGeneration(db.knex, PROJECTION, generation);
    expect(active?.state).toBe('active');
    versions = qualify(active!.schemaName, VERIFICATION_LOG_VERSIONS);
    apiKnex = createKnex(db.apiUrl, { poolMax: 2 });
    cache = new AnswerCache(1_000_000, counters);
    changes = new ProjectionChanges(db.apiUrl, apiKnex, cache);
    await changes.onApplicationBootstrap();
    expect(changes.isFollowing).toBe(true);
  });
  afterAll(async () => {
    await changes.onApplicationShutdown();
    await apiKnex.destroy();
    await store.close();
    await db.drop();
  });

  it('evicts exactly the keys a notice names', async () => {
    cacheAll();
    await commitBatch(0, 10, [KEYS[0]!], 'keys');
    await applied(10);
    expect(held()).toEqual([false, true, true]);
  });

  it('reads the keys of batches it heard nothing of before applying a notice that names its own', async () => {
    cacheAll();
    // A batch that sent no notice (a bulk batch does not), then one that names only its own key.
    await commitBatch(10, 20, [KEYS[1]!], 'silent');
    await commitBatch(20, 30, [KEYS[2]!], 'keys');
    await applied(30);
    expect(held()).toEqual([true, false, false]);
  });

  it('reads the changed keys when a notice names none', async () => {
    cacheAll();
    await commitBatch(30, 40, [KEYS[0]!, KEYS[2]!], 'no keys');
    await applied(40);
    expect(held()).toEqual([false, true, false]);
  });
});
