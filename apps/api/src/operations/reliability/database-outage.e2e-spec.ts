import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@mpp/config';
import { createKnex, migrateToLatest, type Knex } from '@mpp/db';
import { waitForPosition } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, COMPATIBILITY_RECORDS, VERIFICATION_LOG } from '@mpp/projections';
import { createApiApp } from '../../create-api-app.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { IDS, SMALL_CATALOG } from '../../testing/small-catalog.js';
import { submittedVerificationCounts } from './testing/fitment-log.js';
import { devSignIn, send, type HttpAnswer, type Session } from './testing/http-client.js';
import { startPrivatePostgres, type PrivatePostgres } from './testing/private-postgres.js';

const OUTAGE_MS = 4000;
const RIDERS = 8;
/** A hang bound, not a latency target: a request still unanswered after this is a hung request. */
const HANG_BOUND_MS = 15_000;
const PAIRS = [
  { partId: IDS.exhaust, bikeId: IDS.mt07_2021 },
  { partId: IDS.exhaust, bikeId: IDS.mt07_2022 },
  { partId: IDS.pads, bikeId: IDS.mt07_2021 },
  { partId: IDS.pads, bikeId: IDS.mt07_2022 },
];

interface Observation {
  phase: 'before' | 'outage' | 'after';
  path: string;
  status: number;
  problemJson: boolean;
  detail?: string;
}

/**
 * DESIGN §9 and issue 10: PostgreSQL (this suite's own server) is stopped under traffic and started
 * again. While it is down every answer is a 503 problem+json, none hangs, /ready says the database
 * is down, /health stays up; when it returns, the same API process and the same projector recover
 * by themselves, every accepted command is in the log once, and the projections continue from their
 * checkpoints to exact counts.
 */
describe('database outage under traffic', () => {
  let pg: PrivatePostgres;
  let knex: Knex;
  let app: NestExpressApplication;
  let baseUrl: string;
  let projector: ProjectorUnderTest;
  /** What the API logged as errors: a failing assertion on 5xx shows why. */
  const errors: string[] = [];
  const errorLog = new Writable({
    write(chunk: Buffer, _encoding, done) {
      errors.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    knex = createKnex(pg.url, { applicationName: 'mpp-outage-test' });
    await migrateToLatest(knex);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', AUTH_DEV_LOGIN: '1' });
    app = await createApiApp({ config, databaseUrl: pg.url, logDestination: errorLog });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    // Its own server, run as the superuser: this suite is about outages, not grants.
    projector = await startProjectorUnderTest({ url: pg.url, knex, apiUrl: pg.url, projectorUrl: pg.url, drop: async () => {} });
    const admin = await devSignIn(baseUrl, 'outage-admin@example.com', 'admin');
    expect((await send(baseUrl, { method: 'POST', path: '/api/admin/catalog/import', session: admin, body: SMALL_CATALOG })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await projector?.stop();
    await app?.close();
    await knex?.destroy();
    await pg?.destroy();
  });

  it('answers 503 problem+json while PostgreSQL is down, never hangs, and recovers by itself with nothing lost', async () => {
    const riders: Session[] = [];
    for (let i = 0; i < RIDERS; i++) riders.push(await devSignIn(baseUrl, `outage-rider-${i}@example.com`));
    const head0 = await headPosition(knex);
    expect(await waitForPosition(knex, ALL_PROJECTIONS.map((p) => p.name), BigInt(head0), 30_000)).toBe(true);
    const generationsBefore = await knex('projection_checkpoints').where({ state: 'active' }).orderBy('projection').select('projection', 'generation');

    let phase: Observation['phase'] = 'before';
    const observations: Observation[] = [];
    const hung: string[] = [];
    const observe = async (options: Parameters<typeof send>[1]): Promise<HttpAnswer | undefined> => {
      const at = phase;
      const answer = await send(baseUrl, { ...options, timeoutMs: HANG_BOUND_MS }).catch((error: Error) => ({ failure: error }));
      if ('failure' in answer) {
        hung.push(`${options.method ?? 'GET'} ${options.path} during ${at}: ${String(answer.failure.cause ?? answer.failure.message)}`);
        return undefined;
      }
      observations.push({ phase: at, path: options.path, status: answer.status, problemJson: /^application\/problem\+json/.test(answer.headers.get('content-type') ?? ''), detail: (answer.body as { detail?: string } | undefined)?.detail });
      return answer;
    };

    let trafficOn = true;
    const readers = Array.from({ length: 4 }, (_, r) =>
      (async () => {
        const paths = ['/api/bikes', `/api/parts/${IDS.exhaust}`, `/api/bikes/${IDS.mt07_2021}/parts`, `/api/me`];
        for (let n = 0; trafficOn; n++) {
          const path = paths[(n + r) % paths.length]!;
          await observe({ path, session: path === '/api/me' ? riders[r] : undefined });
          await sleep(20);
        }
      })(),
    );
    const readiness: { phase: Observation['phase']; status: number; database?: string; body: unknown }[] = [];
    const prober = (async () => {
      while (trafficOn) {
        const at: Observation['phase'] = phase;
        const [ready, live] = await Promise.all([observe({ path: '/ready' }), observe({ path: '/health' })]);
        // A probe that straddles the moment PostgreSQL stops belongs to neither phase.
        if (ready && phase === at) readiness.push({ phase: at, status: ready.status, body: ready.body, database: (ready.body as { details?: { database?: { status?: string } } }).details?.database?.status });
        if (live) expect(live.status).toBe(200);
        await sleep(100);
      }
    })();
    const accepted = new Map<string, string>();
    const writers = riders.map((rider, i) =>
      (async () => {
        for (let j = 0; j < PAIRS.length; j++) {
          const key = `outage-${i}-${j}`;
          const deadline = Date.now() + 60_000;
          while (Date.now() < deadline) {
            const answer = await observe({
              method: 'POST',
              path: '/api/verifications',
              session: rider,
              headers: { 'idempotency-key': key },
              body: { ...PAIRS[j], fits: (i + j) % 3 !== 0 },
            });
            if (answer?.status === 201) {
              accepted.set(key, (answer.body as { verificationId: string }).verificationId);
              break;
            }
            await sleep(100);
          }
          await sleep(150);
        }
      })(),
    );

    await sleep(500);
    phase = 'outage';
    await pg.stop();
    await sleep(OUTAGE_MS);
    await pg.start();
    phase = 'after';
    await Promise.all(writers);
    // Readers keep going until the API has answered a full round of reads normally again.
    const recoveredBy = Date.now() + 30_000;
    while (Date.now() < recoveredBy && !(await allReadsSucceed())) await sleep(200);
    trafficOn = false;
    await Promise.all([...readers, prober]);

    expect(hung).toEqual([]);
    const during = observations.filter((o) => o.phase === 'outage');
    const failed = during.filter((o) => o.status >= 500);
    expect(failed.length).toBeGreaterThan(0);
    // Every failure while the database is away is the documented 503 problem, never a 500.
    expect({ failures: observations.filter((o) => o.status >= 500 && o.status !== 503), errors: errors.filter((e) => /"status":500,"msg":"request failed"/.test(e)).slice(0, 3).map((e) => e.slice(0, 1500)) }).toEqual({ failures: [], errors: [] });
    // Every failure while the database is away is the documented 503 problem, never a 500; a
    // command whose claim could not be released answers "still being processed" until its lease ends.
    const stillProcessing = (o: Observation) => o.status === 409 && o.problemJson && /still being processed/.test(o.detail ?? '');
    expect(during.filter((o) => o.status >= 400 && !(o.status === 503 && o.problemJson) && !stillProcessing(o))).toEqual([]);
    expect(readiness.filter((r) => r.phase === 'outage' && r.status === 503)[0]).toMatchObject({ database: 'down' });
    expect(readiness.filter((r) => r.phase === 'before').every((r) => r.status === 200)).toBe(true);
    expect(await allReadsSucceed()).toBe(true);
    expect((await send(baseUrl, { path: '/ready' })).status).toBe(200);

    // Nothing lost, nothing twice.
    expect(accepted.size).toBe(RIDERS * PAIRS.length);
    const counts = await submittedVerificationCounts(knex);
    for (const id of accepted.values()) expect(counts.get(id)).toBe(1);
    expect(counts.size).toBe(accepted.size);

    // The same projector, never restarted, continues from its checkpoints to exact counts.
    const head = await headPosition(knex);
    expect(await waitForPosition(knex, ALL_PROJECTIONS.map((p) => p.name), BigInt(head), 30_000)).toBe(true);
    expect(await knex('projection_checkpoints').where({ state: 'active' }).orderBy('projection').select('projection', 'generation')).toEqual(generationsBefore);
    expect(await knex('projection_dead_letters').count({ n: '*' })).toEqual([{ n: 0 }]);
    for (const [j, pair] of PAIRS.entries()) {
      const confirmations = riders.filter((_, i) => (i + j) % 3 !== 0).length;
      expect(await knex(COMPATIBILITY_RECORDS).where({ part_id: pair.partId, bike_id: pair.bikeId }).first('confirmations', 'refutations')).toEqual({
        confirmations,
        refutations: RIDERS - confirmations,
      });
    }
    expect(await knex(VERIFICATION_LOG).count({ n: '*' })).toEqual([{ n: accepted.size }]);
  }, 150_000);

  async function allReadsSucceed(): Promise<boolean> {
    const answers = await Promise.all(['/api/bikes', `/api/parts/${IDS.exhaust}`, '/ready'].map((path) => send(baseUrl, { path, timeoutMs: HANG_BOUND_MS })));
    return answers.every((a) => a.status === 200);
  }
});

async function headPosition(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: { head: number }[] }>('SELECT coalesce(max(position), 0) AS head FROM events');
  return rows[0]!.head;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
