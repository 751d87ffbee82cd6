import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { MT07_ID, RIDER, SLIP_ON_ID } from '../testing/catalog-fixtures.js';
import { FITMENT_HISTORY, HISTORY_OCCURRED_AT, storedFitmentStream } from '../testing/chained-fitment-stream.js';
import { GENESIS_HASH, chainMetadata, hashFitmentEvent } from './hash-chain.js';

const pair = { partId: SLIP_ON_ID, bikeId: MT07_ID };

/** The worked example of docs/domain.md, byte for byte: a reader reproduces this hash in any language. */
const WORKED_EXAMPLE = {
  link: {
    hashVersion: 2 as const,
    type: 'VerificationSubmitted',
    data: {
      verificationId: '5b0f3c52-7d1e-4c8e-9a51-3f1f3b9a0c01',
      partId: '7d4e2b10-9a3c-5f1e-8b2d-4c6a0e9f1b32',
      bikeId: '2f9a1f0e-2c55-5b6e-9d0e-7f6b8a3c1d20',
      userId: 'user-rider-1',
      fits: true,
      notes: 'Bolts on, no cutting – 10 min',
    },
    prevHash: GENESIS_HASH,
    revision: 0,
    occurredAt: '2026-11-02T09:30:00.000Z',
    actor: 'user-rider-1',
  },
  canonical:
    '{"actor":"user-rider-1","data":{"bikeId":"2f9a1f0e-2c55-5b6e-9d0e-7f6b8a3c1d20","fits":true,"notes":"Bolts on, no cutting – 10 min",' +
    '"partId":"7d4e2b10-9a3c-5f1e-8b2d-4c6a0e9f1b32","userId":"user-rider-1","verificationId":"5b0f3c52-7d1e-4c8e-9a51-3f1f3b9a0c01"},' +
    '"hashVersion":2,"occurredAt":"2026-11-02T09:30:00.000Z","prevHash":"0000000000000000000000000000000000000000000000000000000000000000",' +
    '"revision":0,"type":"VerificationSubmitted"}',
  hash: '2ce00e8751c87115246cc9f2d31717cc329cbffecf777fe2e61a566ad4384e9b',
};

describe('fitment hash chain, version 1 (events written before version 2)', () => {
  it('hashes the canonical JSON of type, data, prevHash and revision with SHA-256', () => {
    const data = { fits: true, bikeId: MT07_ID };
    const canonical = `{"data":{"bikeId":"${MT07_ID}","fits":true},"prevHash":"${GENESIS_HASH}","revision":0,"type":"VerificationSubmitted"}`;
    expect(hashFitmentEvent({ type: 'VerificationSubmitted', data, prevHash: GENESIS_HASH, revision: 0n })).toBe(
      createHash('sha256').update(canonical).digest('hex'),
    );
  });
});

describe('fitment hash chain, version 2', () => {
  it('given the worked example of docs/domain.md, when hashed, then the bytes and the hash are the documented ones', () => {
    expect(Buffer.byteLength(WORKED_EXAMPLE.canonical, 'utf8')).toBe(441);
    expect(createHash('sha256').update(WORKED_EXAMPLE.canonical, 'utf8').digest('hex')).toBe(WORKED_EXAMPLE.hash);
    expect(hashFitmentEvent(WORKED_EXAMPLE.link)).toBe(WORKED_EXAMPLE.hash);
  });

  it('given the same event, when occurredAt, actor or the version differ, then the hash differs', () => {
    const base = hashFitmentEvent(WORKED_EXAMPLE.link);
    expect(hashFitmentEvent({ ...WORKED_EXAMPLE.link, occurredAt: '2026-11-01T09:30:00.000Z' })).not.toBe(base);
    expect(hashFitmentEvent({ ...WORKED_EXAMPLE.link, actor: 'user-rider-2' })).not.toBe(base);
    const { occurredAt: _o, actor: _a, hashVersion: _v, ...asV1 } = WORKED_EXAMPLE.link;
    expect(hashFitmentEvent(asV1)).not.toBe(base);
  });

  it('starts a new stream from the genesis hash of 64 zeros and labels every new event version 2', () => {
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
    const [first] = storedFitmentStream();
    expect(first!.metadata).toMatchObject({ prevHash: GENESIS_HASH, hashVersion: 2 });
  });

  it('continues an existing stream from its last hash and next revision', () => {
    const whole = storedFitmentStream();
    const envelope = { actor: RIDER, occurredAt: HISTORY_OCCURRED_AT };
    const [third, fourth] = chainMetadata(FITMENT_HISTORY.slice(2), { lastHash: whole[1]!.metadata.hash as string, nextRevision: 2 }, envelope);
    expect([third, fourth]).toEqual([whole[2]!.metadata, whole[3]!.metadata].map(({ prevHash, hash }) => ({ hashVersion: 2, prevHash, hash })));
  });

  it('hashes data the same before and after a JSON round trip', () => {
    const data = { ...pair, source: 'manufacturer', notes: undefined };
    const link = { hashVersion: 2 as const, type: 'FitmentPublished', prevHash: GENESIS_HASH, revision: 0, occurredAt: HISTORY_OCCURRED_AT, actor: 'system:import' };
    expect(hashFitmentEvent({ ...link, data })).toBe(hashFitmentEvent({ ...link, data: JSON.parse(JSON.stringify(data)) }));
  });
});
