import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { bikeIdFor, bikeStream, partStream } from '@mpp/domain';
import { createPostgresEventStore, eventMetadata, type EventToAppend } from '@mpp/event-store';
import { startApiUnderTest, type ApiUnderTest } from '@mpp/api/testing';
import { generateIntoStore, planForEvents } from '@mpp/generator';
import { BIKES } from '@mpp/projections';
import { buildProjector } from './testing/build-projector.js';
import { headPosition, waitFor } from './testing/projection-progress.js';
import { killAllProjectorProcesses, startProjectorProcess, type ProjectorProcess } from './testing/projector-process.js';

const LATE_BIKES = 5;

const envelope = (type: string, data: Record<string, unknown>): EventToAppend => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: eventMetadata({ correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', occurredAt: new Date().toISOString() }),
});

/**
 * A built-in projection's first generation on a log that already has history (a new read model in
 * production, or a store switch that retired every generation): the real projector builds it while
 * the API answers 503 "catching up", never its half-filled tables. To look at the middle of the
 * build, the test holds a SHARE lock on projection_dead_letters and puts a poison event (a revision
 * of a part never cataloged, which the catalog parks) before the last bikes: the catalog's build
 * stops there, short of the head, until the lock goes.
 */
describe('the first generation of a built-in projection', () => {
  let api: ApiUnderTest;
  let projector: ProjectorProcess;
  let deadLetterLock: pg.Client;
  let bikesInLog: number;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    await buildProjector();
    api = await startApiUnderTest();
    await generateIntoStore({ connectionString: api.db.url, plan: planForEvents(2_000), seed: 'first-generation' });
    const store = createPostgresEventStore({ connectionString: api.db.url, applicationName: 'mpp-test-appender' });
    try {
      const partId = randomUUID();
      await store.appendToStream(partStream(partId), [envelope('PartDetailsRevised', { partId, name: 'Never cataloged' })], { expectedRevision: 'any' });
      for (let i = 0; i < LATE_BIKES; i++) {
        const data = { year: 2026, make: 'Latecomer', model: `Model ${i}` };
        const bikeId = bikeIdFor(data.year, data.make, data.model);
        await store.appendToStream(bikeStream(bikeId), [envelope('BikeRegistered', { bikeId, ...data })], { expectedRevision: 'no_stream' });
      }
    } finally {
      await store.close();
    }
    bikesInLog = Number((await api.db.knex('events').where({ type: 'BikeRegistered' }).count<{ count: string }[]>('* as count'))[0]!.count);
    deadLetterLock = new pg.Client({ connectionString: api.db.url });
    await deadLetterLock.connect();
    await deadLetterLock.query('BEGIN');
    await deadLetterLock.query('LOCK TABLE projection_dead_letters IN SHARE MODE');
    projector = startProjectorProcess(api.db.url, { logLevel: 'info' });
  }, 180_000);

  afterAll(async () => {
    await deadLetterLock?.end();
    await killAllProjectorProcesses();
    await api?.close();
  });

  const catalog = async () =>
    (await api.db.knex('projection_checkpoints').where({ projection: 'catalog' }).orderBy('generation').select('generation', 'state', 'position', 'schema_name')) as {
      generation: number;
      state: string;
      position: string;
      schema_name: string;
    }[];

  it('answers 503 with Retry-After while it fills, and the whole read model once it has caught up', async () => {
    const head = await headPosition(api.db.knex);
    // The build cannot pass the poison event while parking it waits for the locked table: whatever it
    // has committed by then is part of the log, short of the late bikes and the head.
    const bikesBuilt = async (schema: string) => Number((await api.db.knex.withSchema(schema).table(BIKES).count<{ count: string }[]>('* as count'))[0]!.count);
    const partlyFilled = async () => {
      const [first] = await catalog();
      // The position moves only after the generation's tables exist.
      return first !== undefined && BigInt(first.position) > 0n && (await bikesBuilt(first.schema_name)) > 0;
    };
    await waitFor(partlyFilled, { timeoutMs: 120_000, describe: async () => `${JSON.stringify(await catalog())}\n${projector.output()}` });
    const [building] = await catalog();
    expect(building).toMatchObject({ generation: 1, state: 'building' });
    expect(BigInt(building!.position)).toBeLessThan(head);
    expect(await bikesBuilt(building!.schema_name)).toBeLessThanOrEqual(bikesInLog - LATE_BIKES);

    // Half filled and not served: no public view, and the API says so instead of answering from it.
    expect((await api.db.knex.raw('SELECT to_regclass(?) AS view', [`public.${BIKES}`])).rows).toEqual([{ view: null }]);
    const waiting = await http().get('/api/bikes?limit=1').expect(503);
    expect(waiting.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(waiting.headers['retry-after']).toBe('2');
    expect(waiting.body).toMatchObject({ type: expect.stringMatching(/read-models-starting$/), detail: expect.stringContaining('catching up') });

    await deadLetterLock.query('COMMIT');
    await waitFor(async () => (await catalog()).some((g) => g.state === 'active'), { timeoutMs: 60_000, describe: async () => `${JSON.stringify(await catalog())}\n${projector.output()}` });
    const served = await http().get('/api/bikes?limit=1').expect(200);
    expect(served.body.total).toBe(bikesInLog);
    expect((await http().get('/api/bikes?make=Latecomer').expect(200)).body.total).toBe(LATE_BIKES);
    await waitFor(async () => projector.output().includes('projection catalog: generation 1 caught up and now serves'), { timeoutMs: 10_000, describe: () => projector.output() });
  });
});
