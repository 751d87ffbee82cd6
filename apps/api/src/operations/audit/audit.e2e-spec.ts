import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { StreamHeadTree, verifyCheckpointSignature, verifyInclusionProof, type WitnessFile } from '@mpp/domain';
import type { EventStore } from '@mpp/event-store';
import { rewriteChainConsistently } from '@mpp/testing';
import { startHttpStandIn, type HttpStandIn } from '../../integrations/resilience/testing/http-stand-in.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { JobRegistry } from '../jobs/job-registry.js';
import { AuditWitnessDeliveries } from './audit-witness-deliveries.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

const VERIFIER = resolve(__dirname, '../../../../../tools/audit/verify-offline.mjs');

describe('audit anchors over HTTP', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let rider: SignedIn;
  const witnessDir = mkdtempSync(join(tmpdir(), 'mpp-witness-'));
  const { privateKey } = generateKeyPairSync('ed25519');
  const http = () => request(api.app.getHttpServer());
  const createCheckpoint = (who: SignedIn) => http().post('/api/admin/audit/checkpoints').set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken);

  beforeAll(async () => {
    api = await startApiUnderTest({ AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), AUDIT_WITNESS_DIR: witnessDir });
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'audit-admin@example.com', 'admin');
    rider = await signIn(api.app, 'rider@example.com');
  });
  afterAll(async () => {
    await projector?.stop();
    await api?.close();
    rmSync(witnessDir, { recursive: true, force: true });
  });

  const submit = (body: object) => http().post('/api/verifications').set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).send(body).expect(201);
  /**
   * A checkpoint signs the heads up to the gap-free head, which waits behind any transaction still
   * open in the database (the projector's batches among them). The steps below that expect a
   * checkpoint to cover what was just submitted wait until every committed event is visible.
   */
  const everythingVisible = async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    for (let tries = 0; tries < 200; tries += 1) {
      const committed = BigInt((await api.db.knex.raw('SELECT coalesce(max(position), 0)::text AS p FROM events')).rows[0].p);
      if ((await store.headPosition()) >= committed) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('committed events stayed invisible to gap-free readers for 10 s');
  };

  it('publishes the Ed25519 public key as SPKI PEM', async () => {
    const res = await http().get('/api/audit/public-key').expect(200);
    expect(res.body).toEqual({ algorithm: 'Ed25519', publicKey: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----\n/) });
  });

  it('answers 404 for the latest checkpoint before there is one, and an empty list', async () => {
    await http().get('/api/audit/checkpoints/latest').expect(404);
    expect((await http().get('/api/audit/checkpoints').expect(200)).body).toEqual({ items: [] });
  });

  it('lets only an admin with the CSRF token make a checkpoint', async () => {
    await http().post('/api/admin/audit/checkpoints').expect(401);
    await createCheckpoint(rider).expect(403);
    await http().post('/api/admin/audit/checkpoints').set('Cookie', admin.cookie).expect(403);
  });

  it('makes a signed checkpoint of every fitment head, lists it, and writes the witness file', async () => {
    await submit({ partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true, notes: 'Straight swap' });
    await everythingVisible();
    const res = await createCheckpoint(admin).expect(201);
    const { checkpoint, signature } = res.body;
    const publicKey = (await http().get('/api/audit/public-key')).body.publicKey as string;
    expect(verifyCheckpointSignature({ checkpoint, signature }, publicKey)).toBe(true);

    // Recomputed here from the events table, independently of the API's reading of the log.
    const rows: { stream_id: string; hash: string }[] = (
      await api.db.knex.raw(
        `SELECT DISTINCT ON (stream_id) stream_id, metadata->>'hash' AS hash FROM events
         WHERE stream_id LIKE 'fitment-%' AND position <= ? ORDER BY stream_id, revision DESC`,
        [checkpoint.position],
      )
    ).rows;
    const tree = new StreamHeadTree(rows.map((r) => ({ streamId: r.stream_id, hash: r.hash })));
    expect(checkpoint).toEqual({ root: tree.rootHex, streams: rows.length, position: expect.stringMatching(/^\d+$/), createdAt: expect.any(String) });

    expect((await http().get('/api/audit/checkpoints/latest').expect(200)).body).toEqual(res.body);
    expect((await http().get('/api/audit/checkpoints').expect(200)).body.items).toEqual([res.body]);
    const [name] = readdirSync(witnessDir);
    const witness = JSON.parse(readFileSync(join(witnessDir, name!), 'utf8')) as WitnessFile;
    expect(witness).toMatchObject({ checkpoint, signature, publicKey, heads: tree.heads });
  });

  it('refuses a bad list limit with a 400 naming it', async () => {
    const res = await http().get('/api/audit/checkpoints?limit=0').expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['limit']);
  });

  it('gives a verification proof that the offline verifier checks against the published root and key', async () => {
    const submitted = await submit({ partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true, notes: 'Same pads as the 2020 – fine' });
    await submit({ partId: IDS.pads, bikeId: IDS.mt07_2022, fits: false });
    // Recorded after the latest checkpoint: nothing vouches for it yet.
    const early = await http().get(`/api/verifications/${submitted.body.verificationId}/proof`).expect(409);
    expect(early.body).toMatchObject({ reason: 'not_yet_checkpointed' });

    await everythingVisible();
    const { body: published } = await createCheckpoint(admin).expect(201);
    const res = await http().get(`/api/verifications/${submitted.body.verificationId}/proof`).expect(200);
    const proof = res.body;
    expect(proof).toMatchObject({ verificationId: submitted.body.verificationId, checkpoint: published.checkpoint, signature: published.signature });
    expect(proof.event).toMatchObject({ eventId: submitted.body.eventId, type: 'VerificationSubmitted' });
    expect(verifyInclusionProof(proof.inclusion, published.checkpoint.root)).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'mpp-proof-'));
    try {
      writeFileSync(join(dir, 'public-key.json'), JSON.stringify((await http().get('/api/audit/public-key')).body));
      writeFileSync(join(dir, 'proof.json'), JSON.stringify(proof));
      const ok = spawnSync(process.execPath, [VERIFIER, '--proof', join(dir, 'proof.json'), '--public-key', join(dir, 'public-key.json')], { encoding: 'utf8', timeout: 30_000 });
      expect({ code: ok.status, out: ok.stdout }).toEqual({ code: 0, out: expect.stringMatching(/^intact \(verification /) });

      // The same proof with the rider's words changed no longer reaches the signed root.
      const forged = structuredClone(proof);
      forged.chain[0].data.notes = 'Does not fit';
      forged.event = forged.chain[0];
      writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
      const bad = spawnSync(process.execPath, [VERIFIER, '--proof', join(dir, 'forged.json'), '--public-key', join(dir, 'public-key.json')], { encoding: 'utf8', timeout: 30_000 });
      expect(bad.status).toBe(1);
      expect(bad.stdout).toContain(`tampered: ${proof.streamId}: chain broken at revision ${proof.event.revision}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 404 for the proof of an unknown verification and 400 for a malformed id', async () => {
    await http().get('/api/verifications/6b0f7f4c-4f39-4a4e-9d3b-1c5c2f2b9a10/proof').expect(404);
    await http().get('/api/verifications/nope/proof').expect(400);
  });

  it('runs as a scheduled job that adds nothing when no chain moved', async () => {
    const registry = api.app.get(JobRegistry);
    const before = (await http().get('/api/audit/checkpoints')).body.items.length;
    await everythingVisible();
    const unchanged = await registry.runNow('audit-checkpoint');
    expect(unchanged).toMatchObject({ outcome: 'ok', detail: expect.stringMatching(/^unchanged since position/) });
    await submit({ partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: true });
    await everythingVisible();
    const made = await registry.runNow('audit-checkpoint');
    expect(made).toMatchObject({ outcome: 'ok', detail: expect.stringMatching(/^checkpoint at position \d+: \d+ streams$/) });
    expect((await http().get('/api/audit/checkpoints')).body.items).toHaveLength(before + 1);
    expect(readdirSync(witnessDir)).toHaveLength(before + 1);
  });
  describe('consistency of the log with a published checkpoint', () => {
    const consistency = (body: object) => http().post('/api/audit/checkpoints/consistency').send(body);
    const newestWitness = () => {
      const name = readdirSync(witnessDir).sort().at(-1)!;
      return JSON.parse(readFileSync(join(witnessDir, name), 'utf8')) as WitnessFile;
    };

    it('says an untouched log that grew since is consistent with the latest checkpoint, sent as the API answered it', async () => {
      const { body: published } = await createCheckpoint(admin).expect(201);
      await submit({ partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: false, notes: 'Rubs the swingarm' });
      const res = await consistency(published).expect(200);
      expect(res.body).toMatchObject({ consistent: true, rootMatches: true, headsGiven: false, firstDivergingStream: null, divergences: [], checkpoint: published.checkpoint });
      expect(BigInt(res.body.logHead)).toBeGreaterThan(BigInt(published.checkpoint.position));
    });

    it('refuses a signature that is not ours, heads that do not give the root, and a malformed checkpoint, naming the field', async () => {
      const published = (await http().get('/api/audit/checkpoints/latest').expect(200)).body;
      const forged = await consistency({ ...published, checkpoint: { ...published.checkpoint, streams: published.checkpoint.streams + 1 } }).expect(400);
      expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(forged.body.errors.map((e: { field: string }) => e.field)).toEqual(['signature']);
      const witness = newestWitness();
      const badHeads = await consistency({ ...witness, heads: witness.heads.slice(1) }).expect(400);
      expect(badHeads.body.errors.map((e: { field: string }) => e.field)).toEqual(['heads']);
      const malformed = await consistency({ checkpoint: { ...published.checkpoint, root: 'xyz', position: 12 }, signature: published.signature }).expect(400);
      expect([...new Set(malformed.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['checkpoint.position', 'checkpoint.root']);
    });

    it('names the first diverging stream after a chain was rewritten consistently in the database, given the witness file', async () => {
      const witness = newestWitness();
      const target = [...witness.heads].sort((a, b) => Buffer.compare(Buffer.from(a.streamId), Buffer.from(b.streamId)))[0]!.streamId;
      await rewriteChainConsistently(api.db.knex, target, (row) => ({ data: { ...row.data, fits: !row.data.fits } }));

      const named = await consistency(witness).expect(200);
      expect(named.body).toMatchObject({ consistent: false, rootMatches: false, headsGiven: true, firstDivergingStream: target, divergences: [{ streamId: target, reason: 'head_differs' }] });
      expect(named.body.detail).toContain(target);
      // The checkpoint alone proves the rewrite but cannot say where: every chain verifies on its own.
      const unnamed = await consistency({ checkpoint: witness.checkpoint, signature: witness.signature }).expect(200);
      expect(unnamed.body).toMatchObject({ consistent: false, rootMatches: false, headsGiven: false, firstDivergingStream: null, divergences: [] });
      expect(unnamed.body.detail).toContain('send the heads of the witness file');
    });
  });
});

describe('audit anchors without a signing key', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api?.close());

  it('answers 503 naming AUDIT_SIGNING_KEY, and the job skips', async () => {
    const res = await request(api.app.getHttpServer()).get('/api/audit/public-key').expect(503);
    expect(JSON.stringify(res.body)).toContain('AUDIT_SIGNING_KEY');
    expect(await api.app.get(JobRegistry).runNow('audit-checkpoint')).toMatchObject({ detail: 'skipped: AUDIT_SIGNING_KEY is not set' });
  });
});

/**
 * AUDIT_WITNESS_URL against a real HTTP server on 127.0.0.1 that plays the operator's witness: it
 * proves our side of the wire (what is POSTed, retries, what is recorded), not any witness product.
 */
describe('publishing checkpoints to a witness URL', () => {
  let api: ApiUnderTest;
  let witness: HttpStandIn;
  let admin: SignedIn;
  const { privateKey } = generateKeyPairSync('ed25519');
  const http = () => request(api.app.getHttpServer());
  const createCheckpoint = () => http().post('/api/admin/audit/checkpoints').set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrfToken);
  const deliveries = () => api.app.get(AuditWitnessDeliveries);
  const rowOf = async (position: string) => api.db.knex('audit_witness_deliveries').where({ position }).first('status', 'attempts', 'last_error', 'delivered_at');
  const later = (hours: number) => new Date(Date.now() + hours * 3600_000);
  const submit = (body: object) => http().post('/api/verifications').set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrfToken).send(body).expect(201);

  beforeAll(async () => {
    witness = await startHttpStandIn(() => ({ status: 503 }));
    api = await startApiUnderTest({ AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), AUDIT_WITNESS_URL: `${witness.url}/checkpoints` });
    await importSmallCatalog(api.app);
    admin = await signIn(api.app, 'witness-admin@example.com', 'admin');
  });
  afterAll(async () => {
    await api?.close();
    await witness?.close();
  });

  it('makes checkpoints and takes appends while the witness is down, keeps the failure on the queued delivery, and delivers it on a later attempt', async () => {
    const { body: published } = await createCheckpoint().expect(201);
    // Nothing was sent while making it, and appends go on meanwhile.
    expect(witness.requests).toHaveLength(0);
    await submit({ partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true });

    const down = await api.app.get(JobRegistry).runNow('audit-witness');
    expect(down).toMatchObject({ outcome: 'ok', detail: '1 due: 0 delivered, 1 retrying, 0 failed' });
    expect(witness.requests.length).toBeGreaterThanOrEqual(1);
    expect(await rowOf(published.checkpoint.position)).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('HTTP 503'), delivered_at: null });
    // Not due again yet: the retry waits its backoff.
    expect(await deliveries().deliverDue()).toEqual({ due: 0, delivered: 0, retrying: 0, failed: 0 });

    witness.answer(() => ({ status: 202 }));
    expect(await deliveries().deliverDue(later(2))).toEqual({ due: 1, delivered: 1, retrying: 0, failed: 0 });
    expect(await rowOf(published.checkpoint.position)).toMatchObject({ status: 'delivered', attempts: 2, last_error: null, delivered_at: expect.any(Date) });

    const received = witness.requests.at(-1)!;
    expect(received).toMatchObject({ method: 'POST', path: '/checkpoints', headers: expect.objectContaining({ 'content-type': 'application/json', 'idempotency-key': expect.stringMatching(/^[0-9a-f-]{36}$/) }) });
    const sent = JSON.parse(received.body) as WitnessFile;
    const { publicKey } = (await http().get('/api/audit/public-key').expect(200)).body;
    expect(sent).toMatchObject({ checkpoint: published.checkpoint, signature: published.signature, publicKey });
    expect(verifyCheckpointSignature(sent, publicKey)).toBe(true);
    expect(new StreamHeadTree(sent.heads).rootHex).toBe(published.checkpoint.root);
    expect(await deliveries().deliverDue(later(3))).toEqual({ due: 0, delivered: 0, retrying: 0, failed: 0 });
  });

  it('gives up at once on a refusal (a 4xx other than 408 and 429) and records it in integration_errors', async () => {
    witness.answer(() => ({ status: 400, body: { error: 'unknown log' } }));
    await submit({ partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: true });
    const { body: published } = await createCheckpoint().expect(201);
    expect(await deliveries().deliverDue()).toEqual({ due: 1, delivered: 0, retrying: 0, failed: 1 });
    expect(await rowOf(published.checkpoint.position)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('HTTP 400') });
    const recorded = await api.db.knex('integration_errors').where({ integration: 'audit-witness' });
    expect(recorded).toEqual([expect.objectContaining({ operation: 'publish-checkpoint', payload: expect.objectContaining({ position: published.checkpoint.position, attempts: 1 }) })]);
  });
});
