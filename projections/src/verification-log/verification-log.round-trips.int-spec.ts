import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import knexFactory, { type Knex } from 'knex';
import type pg from 'pg';
import { fitmentStream, type ChainHead } from '@mpp/domain';
import { createPostgresEventStore, eventsToAppend, type EventStore } from '@mpp/event-store';
import { readKeyVersion } from '../shared/key-versions.js';
import { replayIntoSchema, runProjectionWorker } from '@mpp/projection-runner';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { bikeRegistered, fitmentPublished, partCataloged, verificationRetracted, verificationSubmitted, DEFAULT_OCCURRED_AT, type GivenEvent, type Pair } from '../testing/given-events.js';
import { verificationLogProjection } from './verification-log.projection.js';
import { partVerificationsKey } from './verification-log-versions.js';

/**
 * The statements of a live batch, as they reach PostgreSQL: each connection of the projector's pool
 * records what it sends, so a batch is the run from its BEGIN to its COMMIT on one connection.
 * Issues #14/#15: every round trip of the trail's batch is on the command-to-visible path.
 */
describe('verification log, round trips of a live batch', () => {
  const SCHEMA = 'round_trips';
  let db: TestDatabase;
  let store: EventStore;
  let knex: Knex;
  const sent: { connection: number; sql: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url });
    let connections = 0;
    knex = knexFactory({
      client: 'pg',
      connection: db.url,
      pool: {
        min: 0,
        max: 4,
        afterCreate: (client: pg.Client, done: (error: Error | null, client: pg.Client) => void) => {
          const connection = ++connections;
          const query = client.query.bind(client) as (...args: unknown[]) => unknown;
          (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
            const [config] = args;
            sent.push({ connection, sql: typeof config === 'string' ? config : String((config as { text?: string }).text) });
            return query(...args);
          };
          done(null, client);
        },
      },
    });
  });
  afterAll(async () => {
    await knex.destroy();
    await store.close();
    await db.drop();
  });

  /** Appends to the pair's fitment stream in one append, hash chain and all, after `head`. */
  async function append(pair: Pair, events: GivenEvent[], head: ChainHead): Promise<bigint> {
    const stream = fitmentStream(pair.partId, pair.bikeId);
    const envelope = { actor: 'system:test', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: DEFAULT_OCCURRED_AT };
    const toAppend = eventsToAppend(stream, events.map(({ type, data }) => ({ type, data: data as unknown as Record<string, unknown> })), head, envelope);
    const expectedRevision = BigInt(head.nextRevision) === 0n ? 'no_stream' : BigInt(head.nextRevision) - 1n;
    return (await store.appendToStream(stream, toAppend, { expectedRevision })).position;
  }

  /** The transactions since `from` (an index into `sent`) that wrote chain events, each as its statements. */
  function trailBatchesSince(from: number): string[][] {
    const transactions: string[][] = [];
    const open = new Map<number, string[]>();
    for (const { connection, sql } of sent.slice(from)) {
      if (/^BEGIN/i.test(sql)) open.set(connection, []);
      const statements = open.get(connection);
      if (!statements) continue;
      statements.push(sql);
      if (/^(COMMIT|ROLLBACK)/i.test(sql)) {
        open.delete(connection);
        if (statements.some((statement) => /INSERT INTO "round_trips"\."verification_log_events"/.test(statement))) transactions.push(statements);
      }
    }
    return transactions;
  }

  const described = (statements: string[]) =>
    statements.map((sql) => {
      if (/^BEGIN/i.test(sql)) return 'BEGIN';
      if (/^COMMIT/i.test(sql)) return 'COMMIT';
      if (/INSERT INTO "round_trips"\."verification_log_events"/.test(sql) && /FROM "round_trips"\."verification_log" WHERE/.test(sql)) return 'chain events + read of the log';
      if (/INSERT INTO "round_trips"\."verification_log" /.test(sql) && /INSERT INTO "round_trips"\."verification_log_versions"/.test(sql)) return 'log upsert + key versions';
      if (/projection_checkpoints/.test(sql)) return 'checkpoint + notice';
      return sql.slice(0, 80);
    });

  it('is five statements: BEGIN, the chain events with the log read, the log upsert with the versions, the checkpoint, COMMIT', async () => {
    const pair = { partId: partCataloged().data.partId, bikeId: bikeRegistered().data.bikeId };
    const submitted = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    // One batch of two chain events (the log's first), then one of the command's single event.
    const first = await append(pair, [fitmentPublished(pair), submitted], { lastHash: undefined, nextRevision: 0n });
    const sentBefore = sent.length;
    const { generation } = await replayIntoSchema({ knex, store, projection: verificationLogProjection, schema: SCHEMA, bulkFromLag: Infinity, signal: new AbortController().signal });
    const retracted = await append(pair, [verificationRetracted(pair, submitted.data.verificationId, 'rider-1', 'Wrong year')], { lastHash: await lastHash(pair), nextRevision: 2n });
    const outcome = await runProjectionWorker({ knex, store, projection: verificationLogProjection, schema: SCHEMA, generation, fromPosition: first, stopWhenCaughtUp: true, signal: new AbortController().signal });
    expect(outcome).toBe('caught_up');

    const expected = ['BEGIN', 'chain events + read of the log', 'log upsert + key versions', 'checkpoint + notice', 'COMMIT'];
    expect(trailBatchesSince(sentBefore).map(described)).toEqual([expected, expected]);
    // ...and they did the batch's work.
    const row = await knex(`${SCHEMA}.verification_log`).where({ verification_id: submitted.data.verificationId }).first();
    expect(row).toMatchObject({ state: 'retracted', retraction_reason: 'Wrong year' });
    expect(await knex(`${SCHEMA}.verification_log_events`).where({ part_id: pair.partId }).pluck('type')).toEqual(['FitmentPublished', 'VerificationSubmitted', 'VerificationRetracted']);
    expect(await readKeyVersion(knex, `${SCHEMA}.verification_log_versions`, partVerificationsKey(pair.partId))).toBe(String(retracted));
  });

  async function lastHash(pair: Pair): Promise<string | undefined> {
    for await (const event of store.readStream(fitmentStream(pair.partId, pair.bikeId), { direction: 'backwards', maxCount: 1 })) return String(event.metadata.hash);
    return undefined;
  }
});
