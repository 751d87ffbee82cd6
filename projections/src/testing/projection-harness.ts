import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isFitmentStream, parseEvent, priceObservationEventId, type ChainHead } from '@mpp/domain';
import { createKnex, userKeyFor } from '@mpp/db';
import { createPostgresEventStore, eventsToAppend, StreamNotFound, type EventStore } from '@mpp/event-store';
import { ProjectionRunner, waitForPosition, type ProjectionDefinition } from '@mpp/projection-runner';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { DEFAULT_OCCURRED_AT, type GivenEvent } from './given-events.js';

export interface DeadLetter {
  projection: string;
  event_type: string;
  stream_id: string;
  error: string;
}

export interface ProjectionHarness {
  /** Reads the public views, as queries do. */
  knex: Knex;
  store: EventStore;
  /** Appends the events in this order (each its own append, so global order = argument order) and waits until projected. */
  given(...events: GivenEvent[]): Promise<bigint>;
  /** Appends the events like `given` without waiting for the projections (a consumer that must wait). */
  append(...events: GivenEvent[]): Promise<bigint>;
  deadLetters(): Promise<DeadLetter[]>;
  /** Starts a further runner, as the projector's role, for projections that join later (a consumer that waits for them). */
  startRunner(projections: readonly ProjectionDefinition[]): Promise<void>;
  /** The person's crypto-shredding key, created on first use, as the API does before sealing their text. */
  userKey(userId: string): Promise<Buffer>;
  /**
   * Resolves once the store's clock (PostgreSQL's, which stamps `createdAt`) is past the millisecond
   * of `instant`, so the next append is recorded in a later millisecond: a test that cuts the log by
   * commit time waits for the clock it cuts by, never for a guessed sleep.
   */
  storeClockPast(instant: Date): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fresh database with a real PostgreSQL event store and the real ProjectionRunner following it
 * live, so a test is: append events, wait for the projections to reach them, read rows.
 */
export async function startProjectionHarness(projections: readonly ProjectionDefinition[]): Promise<ProjectionHarness> {
  const db: TestDatabase = await createTestDatabase();
  // Events go in as the API appends them and the runner works as the projector's role, so every
  // projection test also proves the projector's grants (docs/reliability.md "Database roles").
  const store = createPostgresEventStore({ connectionString: db.apiUrl });
  const projectorStore = createPostgresEventStore({ connectionString: db.projectorUrl });
  const projectorKnex = createKnex(db.projectorUrl, { applicationName: 'mpp-test-projector' });
  const runner = new ProjectionRunner({ knex: projectorKnex, store: projectorStore, projections });
  await runner.start();
  const names = projections.map((projection) => projection.name);
  const laterRunners: ProjectionRunner[] = [];

  return {
    knex: db.knex,
    store,
    async append(...events) {
      let position = 0n;
      for (const event of events) position = await append(store, event);
      return position;
    },
    async given(...events) {
      let position = 0n;
      for (const event of events) position = await append(store, event);
      if (!(await waitForPosition(db.knex, names, position, 10_000))) {
        const failures = await db.knex('projection_checkpoints').whereIn('projection', names).whereNotNull('error').select('projection', 'error');
        throw new Error(`projections did not reach position ${position}: ${JSON.stringify(failures)}`);
      }
      return position;
    },
    userKey: (userId) => userKeyFor(db.knex, userId),
    deadLetters: () => db.knex('projection_dead_letters').select('projection', 'event_type', 'stream_id', 'error').orderBy('id'),
    async storeClockPast(instant) {
      const millisecondAfter = new Date(instant.getTime() + 1).toISOString();
      for (let asked = 0; asked < 10_000; asked++) {
        const { rows } = await db.knex.raw<{ rows: { past: boolean }[] }>('SELECT clock_timestamp() >= ?::timestamptz AS past', [millisecondAfter]);
        if (rows[0]!.past) return;
      }
      throw new Error(`the database clock did not pass ${millisecondAfter}`);
    },
    async startRunner(later) {
      const laterRunner = new ProjectionRunner({ knex: projectorKnex, store: projectorStore, projections: later });
      laterRunners.push(laterRunner);
      await laterRunner.start();
    },
    async close() {
      for (const laterRunner of laterRunners) await laterRunner.stop();
      await runner.stop();
      await projectorStore.close();
      await projectorKnex.destroy();
      await store.close();
      await db.drop();
    },
  };
}

/** Appends one event as a command handler would: valid data, the shell's envelope, the hash chain on fitment streams. */
async function append(store: EventStore, event: GivenEvent): Promise<bigint> {
  // Invalid test data fails here, not as a puzzling parked event.
  parseEvent(event.type, event.data);
  const occurredAt = event.occurredAt ?? (event.type === 'PriceObserved' ? event.data.observedAt : DEFAULT_OCCURRED_AT);
  const eventId = event.type === 'PriceObserved' ? priceObservationEventId(event.data.partId, event.data.retailerId, event.data.observedAt) : undefined;
  const actor = 'userId' in event.data ? event.data.userId : 'system:test';
  const envelope = { actor, correlationId: randomUUID(), causationId: randomUUID(), occurredAt };
  const sealedEvent = { type: event.type, data: event.data as unknown as Record<string, unknown>, eventId, sealed: event.sealed };
  if (!isFitmentStream(event.stream)) {
    const toAppend = eventsToAppend(event.stream, [sealedEvent], { lastHash: undefined, nextRevision: 0n }, envelope);
    return (await store.appendToStream(event.stream, toAppend, { expectedRevision: 'any' })).position;
  }
  const head = await chainHead(store, event.stream);
  const expectedRevision = head.lastHash === undefined ? 'no_stream' : BigInt(head.nextRevision) - 1n;
  return (await store.appendToStream(event.stream, eventsToAppend(event.stream, [sealedEvent], head, envelope), { expectedRevision })).position;
}

async function chainHead(store: EventStore, stream: string): Promise<ChainHead> {
  try {
    for await (const last of store.readStream(stream, { direction: 'backwards', maxCount: 1 })) {
      return { lastHash: String(last.metadata.hash), nextRevision: last.revision + 1n };
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return { lastHash: undefined, nextRevision: 0n };
}
