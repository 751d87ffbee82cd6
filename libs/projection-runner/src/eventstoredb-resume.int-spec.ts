/**
 * The projection runner on the EventStoreDB adapter, over the KurrentDB wire double (our side of the
 * wire only, see kurrentdb-wire-double.ts), writing into real PostgreSQL: a subscription the server
 * ends with CANCELLED (a node restarting, KurrentDB 24.4+) is resumed inside the adapter, so the runner
 * records no error and the read model has every event once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { createEventStoreDbEventStore, type EventStore } from '@mpp/event-store';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { KurrentDbWireDouble } from '../../event-store/src/eventstoredb/testing/kurrentdb-wire-double.js';
import { listGenerations } from './checkpoints.js';
import { defineProjection } from './projection.js';
import { ProjectionRunner, type RunnerLogger } from './projection-runner.js';
import { waitForPosition } from './wait-for-position.js';

const tally = defineProjection({
  name: 'wire_tally',
  version: 1,
  tables: ['wire_tally_counts'],
  onPoisonEvent: 'stop',
  async createTables(knex, schema) {
    await knex.schema.withSchema(schema).createTable('wire_tally_counts', (t) => {
      t.text('stream_id').primary();
      t.integer('n').notNullable();
    });
  },
  handlers: {
    Counted: async (event, ctx) => {
      await ctx.trx.raw(
        `INSERT INTO ${ctx.qualified('wire_tally_counts')} (stream_id, n) VALUES (?, 1)
         ON CONFLICT (stream_id) DO UPDATE SET n = ${ctx.qualified('wire_tally_counts')}.n + 1`,
        [event.streamId],
      );
    },
  },
});

const counted = (streamId: string) => ({ streamId, eventId: randomUUID(), type: 'Counted', data: {} });

describe('projection runner on EventStoreDB when the server ends the subscription', () => {
  let db: TestDatabase;
  let double: KurrentDbWireDouble;
  let store: EventStore;
  const complaints: string[] = [];
  const logger: RunnerLogger = { log: () => undefined, warn: (message) => complaints.push(message), error: (message) => complaints.push(message) };

  beforeAll(async () => {
    db = await createTestDatabase();
    double = await KurrentDbWireDouble.start();
    store = createEventStoreDbEventStore({ connectionString: double.connectionString });
  });
  afterAll(async () => {
    await store.close();
    await double.stop();
    await db.drop();
  });

  it('resumes after CANCELLED from the last event it applied and records no error', async () => {
    const before = double.append(...Array.from({ length: 30 }, () => counted('wire-a')));
    const runner = new ProjectionRunner({ knex: db.knex, store, projections: [tally], logger });
    await runner.start();
    try {
      expect(await waitForPosition(db.knex, ['wire_tally'], before.at(-1)!.position, 10_000)).toBe(true);
      const subscriptions = () => double.readCalls.filter((call) => call.target === 'subscription');
      const resumedFrom = subscriptions().length;

      double.endSubscriptions(grpc.status.CANCELLED, 'Call canceled by the server');
      const after = double.append(...Array.from({ length: 20 }, () => counted('wire-b')));
      expect(await waitForPosition(db.knex, ['wire_tally'], after.at(-1)!.position, 10_000)).toBe(true);

      expect(subscriptions().slice(resumedFrom)[0]?.from).toBe(before.at(-1)!.position);
      expect(await db.knex('wire_tally_counts').orderBy('stream_id').select('stream_id', 'n')).toEqual([
        { stream_id: 'wire-a', n: 30 },
        { stream_id: 'wire-b', n: 20 },
      ]);
      const [generation] = await listGenerations(db.knex, 'wire_tally');
      expect(generation).toMatchObject({ state: 'active', error: null, eventsProcessed: 50 });
      expect(complaints).toEqual([]);
    } finally {
      await runner.stop();
    }
  });
});
