import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { StreamHeadTree, verifyCheckpointSignature, verifyInclusionProof, type WitnessFile } from '@mpp/domain';
import { JobRegistry } from '../jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { importSmallCatalog } from '../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../testing/sign-in.js';
import { IDS } from '../testing/small-catalog.js';

const VERIFIER = resolve(__dirname, '../../../../tools/audit/verify-offline.mjs');

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
    const unchanged = await registry.runNow('audit-checkpoint');
    expect(unchanged).toMatchObject({ outcome: 'ok', detail: expect.stringMatching(/^unchanged since position/) });
    await submit({ partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: true });
    const made = await registry.runNow('audit-checkpoint');
    expect(made).toMatchObject({ outcome: 'ok', detail: expect.stringMatching(/^checkpoint at position \d+: \d+ streams$/) });
    expect((await http().get('/api/audit/checkpoints')).body.items).toHaveLength(before + 1);
    expect(readdirSync(witnessDir)).toHaveLength(before + 1);
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
