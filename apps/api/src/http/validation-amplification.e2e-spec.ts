import { request as httpRequest, Agent } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestDatabase, findFreePort, type TestDatabase } from '@mpp/testing';
import { buildApi, startApiProcess, type ApiProcess } from '../operations/reliability/testing/api-process.js';
import { devSignIn, send } from '../operations/reliability/testing/http-client.js';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { SMALL_CATALOG } from '../testing/small-catalog.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../testing/projector-under-test.js';
import { MAX_LISTED_PROBLEMS } from './request-validation.js';

const PART = '7d3c9a52-1f0e-4c1b-9b43-5a0e6f2d8c11';
const RETAILER = '2b6e1f80-93c4-4d2a-8e7f-0c5b9a1d3e22';

/** The hostile probe's body: 20,000 unknown keys, about 208 KB, under the 256 KB body limit. */
function unknownKeysBody(count: number): string {
  const body: Record<string, string> = { partId: PART, retailerId: RETAILER };
  for (let i = 0; i < count; i++) body[`k${i}`] = 'x';
  return JSON.stringify(body);
}

/** Each sender sends at most one body per interval, like a client in a loop: 8 senders, 40 bodies/s (8 MB/s). */
const SEND_INTERVAL_MS = 200;
/** With 100 answers the p99 is the second slowest, so one scheduling hiccup of a shared machine is not the verdict. */
const GETS = 100;
/** A shared machine so loaded that quiet reads already have this p99 cannot measure a 100 ms bound. */
const QUIET_P99_BOUND_MS = 50;

/**
 * The hostile clients run in their own process, like the probe's: their CPU (encoding and sending
 * 208 KB bodies) is not the server's. It reports once it has had 16 answers, and its totals on stdin EOF.
 * Paced rather than flat out: on a shared 2-core machine any 8 clients sending as fast as they can
 * slow everyone down whatever they send; what this proves is that one such body no longer costs
 * the server hundreds of milliseconds.
 */
function startHostileSenders(port: number, body: string, senders: number) {
  const bodyFile = join(mkdtempSync(join(tmpdir(), 'mpp-hostile-')), 'body.json');
  writeFileSync(bodyFile, body);
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const http = require('node:http');
       const [port, senders] = process.argv.slice(1, 3).map(Number);
       const bytes = require('node:fs').readFileSync(process.argv[3]);
       const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
       let sending = true, count = 0, otherThanSmall400 = 0;
       const post = () => new Promise((resolve) => {
         const req = http.request({ host: '127.0.0.1', port, path: '/api/affiliate/click', method: 'POST', agent,
           headers: { 'content-type': 'application/json', 'content-length': bytes.length } }, (res) => {
           let size = 0;
           res.on('data', (chunk) => (size += chunk.length));
           res.on('end', () => { count++; if (res.statusCode !== 400 || size >= 2000) otherThanSmall400++; if (count === 16) process.stdout.write('started\\n'); resolve(); });
         });
         req.on('error', () => { otherThanSmall400++; resolve(); });
         req.end(bytes);
       });
       process.stdin.on('end', () => { sending = false; }).resume();
       const paced = async () => { while (sending) { const started = Date.now(); await post(); await new Promise((r) => setTimeout(r, Math.max(0, ${SEND_INTERVAL_MS} - (Date.now() - started)))); } };
       Promise.all(Array.from({ length: senders }, paced))
         .then(() => { agent.destroy(); process.stdout.write(JSON.stringify({ count, otherThanSmall400 }) + '\\n'); });`,
      String(port),
      String(senders),
      bodyFile,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async () => String((await lines.next()).value);
  return {
    started: nextLine(),
    async stop(): Promise<{ count: number; otherThanSmall400: number }> {
      child.stdin!.end();
      return JSON.parse(await nextLine()) as { count: number; otherThanSmall400: number };
    },
  };
}

function timedGet(port: number, agent: Agent, path: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('validation amplification (a body of many unknown keys)', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api.close());

  it('answers 20,000 unknown keys with a small 400 problem+json naming the problem', async () => {
    const body = unknownKeysBody(20_000);
    expect(Buffer.byteLength(body)).toBeGreaterThan(200_000);
    const res = await http().post('/api/affiliate/click').set('Content-Type', 'application/json').send(body).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.text.length).toBeLessThan(2_000);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'has an object with more than 200 keys' }]);
  });

  it('lists at most 20 field problems and says how many there were', async () => {
    const res = await http().post('/api/affiliate/click').set('Content-Type', 'application/json').send(unknownKeysBody(150)).expect(400);
    expect(res.body.errors).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(res.body.errors[0]).toEqual({ field: 'k0', message: 'property k0 should not exist' });
    expect(res.body.errorCount).toBe(150);
    expect(res.body.detail).toBe('The request is invalid; errors lists the first 20 of 150 problems.');
  });

  it('checks query strings the same way', async () => {
    const query = Array.from({ length: 500 }, (_, i) => `q${i}=1`).join('&');
    const res = await http().get(`/api/bikes?${query}`).expect(400);
    expect(res.body.errors).toEqual([{ field: 'query', message: 'has 500 keys; at most 200 are accepted in one object' }]);
  });
});

/**
 * The probe's measurement, against the real API process (node apps/api/dist/main.js) as deployed:
 * inside Jest the API would share the test runner's large heap, whose garbage collections are not
 * the API's.
 */
describe('validation amplification under load (the API as its own process)', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let projector: ProjectorUnderTest;
  let port: number;

  beforeAll(async () => {
    await buildApi();
    db = await createTestDatabase();
    api = await startApiProcess({ databaseUrl: db.apiUrl, port: await findFreePort() });
    port = Number(new URL(api.baseUrl).port);
    projector = await startProjectorUnderTest(db);
    const admin = await devSignIn(api.baseUrl, 'amplification-admin@example.com', 'admin');
    const imported = await send(api.baseUrl, { method: 'POST', path: '/api/admin/catalog/import', session: admin, body: SMALL_CATALOG });
    expect(imported.status).toBe(201);
    expect((await send(api.baseUrl, { path: '/api/bikes?limit=5', headers: { 'x-min-position': String((imported.body as { position: number }).position) } })).status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await projector?.stop();
    await api?.kill('SIGTERM');
    await db?.drop();
  });

  /** p50 and p99 (nearest rank) of GETs, one at a time on one keep-alive connection. */
  async function measureReads(): Promise<{ p50: number; p99: number }> {
    const rider = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const timings: number[] = [];
      for (let i = 0; i < GETS; i++) {
        const answer = await timedGet(port, rider, '/api/bikes?limit=5');
        expect(answer.status).toBe(200);
        timings.push(answer.ms);
      }
      timings.sort((x, y) => x - y);
      const rank = (q: number) => timings[Math.ceil(q * timings.length) - 1]!;
      return { p50: rank(0.5), p99: rank(0.99) };
    } finally {
      rider.destroy();
    }
  }

  it("keeps another client's reads fast while 8 senders post that body in a loop (p99 of 100 GETs under 100 ms)", async () => {
    const quiet = await measureReads();
    const hostile = startHostileSenders(port, unknownKeysBody(20_000), 8);
    let underAttack: { p50: number; p99: number };
    try {
      await hostile.started;
      underAttack = await measureReads();
    } finally {
      const refusals = await hostile.stop();
      expect(refusals.count).toBeGreaterThan(8);
      expect(refusals.otherThanSmall400).toBe(0);
    }
    process.stderr.write(`amplification: GET /api/bikes p50/p99 ${quiet.p50.toFixed(1)}/${quiet.p99.toFixed(1)} ms quiet, ${underAttack.p50.toFixed(1)}/${underAttack.p99.toFixed(1)} ms under 8 senders\n`);
    // Before the fix every body held the event loop for 216-250 ms: no GET finished in a minute.
    expect(underAttack.p50).toBeLessThan(100);
    if (quiet.p99 >= QUIET_P99_BOUND_MS) {
      process.stderr.write(`amplification: p99 assertion not applied: this machine answers p99 ${quiet.p99.toFixed(0)} ms with no attacker at all (other work is loading it)\n`);
      return;
    }
    expect(underAttack.p99).toBeLessThan(100);
  });
});
