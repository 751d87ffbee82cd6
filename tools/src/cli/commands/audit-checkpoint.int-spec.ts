import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fitmentStream, publicKeyPem, verifyCheckpointSignature, type WitnessFile } from '@mpp/domain';
import { bikeRegistered, fitmentPublished, partCataloged, verificationSubmitted, startProjectionHarness, type ProjectionHarness } from '@mpp/projections/testing';
import { cliContextFor } from '../testing/cli-test-context.js';
import { editEventMetadata, rewriteChainConsistently } from '@mpp/testing';
import { auditCheckpoint } from './audit-checkpoint.js';
import { auditCompare } from './audit-compare.js';
import { auditVerify, type AuditReport } from './audit-verify.js';
import { exportEvents } from './events-export.js';

const VERIFIER = resolve(__dirname, '../../../audit/verify-offline.mjs');

/** The offline verifier as an auditor runs it: another process, nothing of ours imported. */
function verifyOffline(...args: string[]): { code: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [VERIFIER, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, stdout: run.stdout + run.stderr };
}

describe('signed checkpoints from the command line, and the offline verifier', () => {
  let harness: ProjectionHarness;
  const dir = mkdtempSync(join(tmpdir(), 'mpp-audit-'));
  const file = (name: string) => join(dir, name);
  const { privateKey } = generateKeyPairSync('ed25519');
  const part = partCataloged();
  const bikes = [bikeRegistered(), bikeRegistered(), bikeRegistered()];
  const pairs = bikes.map((bike) => ({ partId: part.data.partId, bikeId: bike.data.bikeId }));
  const streams = pairs.map((pair) => fitmentStream(pair.partId, pair.bikeId));

  beforeAll(async () => {
    harness = await startProjectionHarness([]);
    await harness.given(
      part,
      ...bikes,
      fitmentPublished(pairs[0]!),
      verificationSubmitted(pairs[0]!, { userId: 'rider-1', fits: true }),
      verificationSubmitted(pairs[1]!, { userId: 'rider-2', fits: true, notes: 'Fits – with the longer bolts' }),
      verificationSubmitted(pairs[1]!, { userId: 'rider-3', fits: false }),
      fitmentPublished(pairs[2]!),
    );
    writeFileSync(file('public-key.pem'), publicKeyPem(privateKey));
  });
  afterAll(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = () => cliContextFor(harness);
  const exportTo = async (name: string) => expect(await exportEvents(cli().context, { types: [], output: file(name) })).toBe(0);
  const verifyAgainst = async (witness: string) => {
    const { context, out } = cli();
    const code = await auditVerify(context, { json: true, againstCheckpoint: file(witness), publicKeyFile: file('public-key.pem') });
    return { code, report: JSON.parse(out.text()) as AuditReport };
  };

  it('creates a checkpoint whose witness file lists every fitment head, signed with the key', async () => {
    const { context, out } = cli();
    expect(await auditCheckpoint(context, { action: 'create', signingKey: privateKey, out: file('witness-1.json'), json: false })).toBe(0);
    expect(out.text()).toMatch(/^checkpoint at position \d+: 3 fitment streams, root [0-9a-f]{64}/);
    const witness = JSON.parse(readFileSync(file('witness-1.json'), 'utf8')) as WitnessFile;
    expect(witness.heads.map((h) => h.streamId)).toEqual([...streams].sort());
    expect(verifyCheckpointSignature(witness, witness.publicKey)).toBe(true);

    const listed = cli();
    await auditCheckpoint(listed.context, { action: 'list', limit: 5, json: true });
    expect(JSON.parse(listed.out.text()).items).toEqual([{ checkpoint: witness.checkpoint, signature: witness.signature, keyId: witness.keyId }]);
  });

  it('on an untouched log: the offline verifier prints "intact" for the export, and audit verify --against-checkpoint agrees', async () => {
    await exportTo('events-1.ndjson');
    const offline = verifyOffline('--checkpoint', file('witness-1.json'), '--public-key', file('public-key.pem'), '--export', file('events-1.ndjson'));
    expect(offline).toEqual({ code: 0, stdout: expect.stringMatching(/^intact /) });
    expect(await verifyAgainst('witness-1.json')).toMatchObject({ code: 0, report: { broken: [], checkpoint: { signatureValid: true, rootMatches: true, differences: [] } } });
  });

  it('refuses a checkpoint signed by another key', async () => {
    writeFileSync(file('other-key.pem'), publicKeyPem(generateKeyPairSync('ed25519').privateKey));
    const offline = verifyOffline('--checkpoint', file('witness-1.json'), '--public-key', file('other-key.pem'), '--export', file('events-1.ndjson'));
    expect(offline).toEqual({ code: 1, stdout: expect.stringContaining('signature does not verify') });
  });

  it('says two checkpoints are consistent when the chains only grew', async () => {
    await harness.given(verificationSubmitted(pairs[0]!, { userId: 'rider-4', fits: true }));
    const { context } = cli();
    await auditCheckpoint(context, { action: 'create', signingKey: privateKey, out: file('witness-2.json'), json: false });
    const compared = cli();
    expect(await auditCompare(compared.context, { older: file('witness-1.json'), newer: file('witness-2.json'), publicKeyFile: file('public-key.pem'), json: false })).toBe(0);
    expect(compared.out.text()).toMatch(/^consistent: every one of the 3 chains/);
  });

  it('given a chain rewritten consistently in the database after the checkpoint, then both verifiers name the stream', async () => {
    await rewriteChainConsistently(harness.knex, streams[1]!, (row) => ({ data: { ...row.data, fits: false } }));

    // On its own the rewritten chain verifies: this is what only a published head can catch.
    const alone = cli();
    expect(await auditVerify(alone.context, { json: false })).toBe(0);

    const { code, report } = await verifyAgainst('witness-1.json');
    expect(code).toBe(1);
    expect(report.broken).toEqual([]);
    expect(report.checkpoint).toMatchObject({ signatureValid: true, rootMatches: false, differences: [{ stream: streams[1], reason: 'head_differs' }] });
    const text = cli();
    await auditVerify(text.context, { json: false, againstCheckpoint: file('witness-1.json'), publicKeyFile: file('public-key.pem') });
    expect(text.out.text()).toContain(`first bad stream ${streams[1]}`);

    await exportTo('events-2.ndjson');
    const offline = verifyOffline('--checkpoint', file('witness-1.json'), '--public-key', file('public-key.pem'), '--export', file('events-2.ndjson'));
    expect(offline.code).toBe(1);
    expect(offline.stdout).toContain(`tampered: first bad stream ${streams[1]}: head at position`);

    const compared = cli();
    expect(await auditCompare(compared.context, { older: file('witness-1.json'), newer: file('witness-2.json'), publicKeyFile: file('public-key.pem'), json: true })).toBe(1);
    expect(JSON.parse(compared.out.text()).breaks).toEqual([{ streamId: streams[1], reason: 'head_not_in_chain' }]);

    const checked = cli();
    expect(await auditCheckpoint(checked.context, { action: 'verify', limit: 5, publicKeyFile: file('public-key.pem'), json: true })).toBe(1);
    expect(JSON.parse(checked.out.text()).checkpoints).toEqual([
      expect.objectContaining({ signatureValid: true, rootMatches: false }),
      expect.objectContaining({ signatureValid: true, rootMatches: false }),
    ]);
  });

  it('given occurredAt of a version 2 event edited in place, then audit verify and the offline verifier name it', async () => {
    const [victim] = await harness.knex('events').where({ stream_id: streams[2], revision: 0 }).select('event_id', 'metadata');
    expect(victim.metadata.hashVersion).toBe(2);
    await editEventMetadata(harness.knex, victim.event_id, { occurredAt: '2019-01-01T00:00:00.000Z' });

    const { context, out } = cli();
    expect(await auditVerify(context, { json: true })).toBe(1);
    expect((JSON.parse(out.text()) as AuditReport).broken).toEqual([{ stream: streams[2], revision: 0, eventId: victim.event_id, reason: 'hash_mismatch' }]);

    await exportTo('events-3.ndjson');
    const offline = verifyOffline('--checkpoint', file('witness-1.json'), '--public-key', file('public-key.pem'), '--export', file('events-3.ndjson'));
    expect(offline.code).toBe(1);
    // streams[1] (rewritten above) and streams[2] are both bad; the first in stream id order is named.
    const firstBad = [streams[1]!, streams[2]!].sort()[0];
    expect(offline.stdout).toContain(`tampered: first bad stream ${firstBad}`);
    expect(offline.stdout).toContain('(2 bad streams)');
    expect(offline.stdout).toContain(`${streams[2]}: chain broken at revision 0 (event ${victim.event_id}): hash does not match the event`);
  });
});
