import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPostgresEventStore, type EventStore, type EventToAppend } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { listGenerations } from './checkpoints.js';
import { defineProjection, type ProjectionDefinition } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/**
 * A reactor: no tables of its own, its effect a row in a table outside its schema (as the receipts
 * reactor queues mails in the outbox), written in the batch's transaction and keyed by event id, as
 * a reactor's effects must be: while a new generation catches up, the serving one still follows the
 * log, so both may meet the same event.
 */
function pinger(version = 1): ProjectionDefinition {
  return defineProjection({
    name: 'pinger',
    version,
    kind: 'reactor',
    tables: [],
    createTables: async () => {},
    onPoisonEvent: 'park',
    eventTypes: ['Pinged'],
    applyBatch: async (events, { trx }) => {
      for (const event of events) {
        if (event.data.poison === true) throw new Error('cannot ping poison');
        await trx('pings').insert({ event_id: event.eventId, version }).onConflict('event_id').ignore();
      }
    },
  });
}

const pinged = (data: Record<string, unknown> = {}): EventToAppend => ({
  eventId: randomUUID(),
  type: 'Pinged',
  data,
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() },
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a reactor on the projection runner', () => {
  let db: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner | undefined;
  const pings = async () => (await db.knex('pings').orderBy('id').select('event_id', 'version')) as { event_id: string; version: number }[];
  const active = async () => (await listGenerations(db.knex, 'pinger')).find((g) => g.state === 'active');
  const start = async (projection: ProjectionDefinition) => {
    runner = new ProjectionRunner({ knex: db.knex, store, projections: [projection], rebuildPollMs: 50 });
    await runner.start();
    return runner;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
    await db.knex.schema.createTable('pings', (t) => {
      t.increments('id');
      t.uuid('event_id').notNullable().unique();
      t.integer('version').notNullable();
    });
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('starts its first generation at the head of a log with history: nothing is done about the past', async () => {
    const history = await store.appendToStream('ping-1', [pinged(), pinged()], { expectedRevision: 'any' });
    await start(pinger());
    await until(async () => (await active())?.position === history.position);
    expect(await pings()).toEqual([]);

    const fresh = pinged();
    const after = await store.appendToStream('ping-1', [fresh], { expectedRevision: 'any' });
    await until(async () => (await active())?.position === after.position);
    expect(await pings()).toEqual([{ event_id: fresh.eventId, version: 1 }]);
  });

  it('goes on from where the serving generation is on a rebuild: no event of the past is handled again, none is skipped', async () => {
    const serving = await start(pinger());
    const before = (await active())!;
    await serving.stop();
    // Events the stopped reactor has not handled yet: the new generation must handle each once.
    const missed = pinged();
    const appended = await store.appendToStream('ping-2', [missed], { expectedRevision: 'any' });
    runner = undefined;

    const rebuilt = await start(pinger());
    const building = await rebuilt.requestRebuild('pinger');
    expect(building.position).toBe(before.position);
    await until(async () => (await active())?.generation === building.generation && (await active())!.position === appended.position);
    expect(await pings()).toHaveLength(2);
    expect((await pings())[1]!.event_id).toBe(missed.eventId);
    // From its start, not from 0: it read only what the serving generation had not passed.
    expect((await active())!.eventsProcessed).toBeLessThanOrEqual(1);
  });

  it('starts a new version where the old one is, rather than at position 0', async () => {
    const old = (await active())!;
    await start(pinger(2));
    await until(async () => (await active())?.version === 2);
    expect((await listGenerations(db.knex, 'pinger')).find((g) => g.version === 2)!.eventsProcessed).toBe(0);
    expect((await active())!.position).toBe(old.position);
    expect(await pings()).toHaveLength(2);
  });

  it('parks an event whose effect fails and goes on with the next', async () => {
    await start(pinger(2));
    const poison = pinged({ poison: true });
    const next = pinged();
    const appended = await store.appendToStream('ping-3', [poison, next], { expectedRevision: 'any' });
    await until(async () => (await active())?.position === appended.position);
    expect(await db.knex('projection_dead_letters').where({ projection: 'pinger' }).pluck('event_id')).toEqual([poison.eventId]);
    expect((await pings()).map((p) => p.event_id)).toContain(next.eventId);
  });
});
