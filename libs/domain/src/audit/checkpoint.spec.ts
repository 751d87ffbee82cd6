import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { checkpointBytes, checkpointOf, keyIdOf, publicKeyPem, signCheckpoint, verifyCheckpointSignature } from './checkpoint.js';
import { checkConsistency } from './checkpoint-consistency.js';
import { fitmentHeadsAt } from './stream-heads.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const hash = (n: number) => n.toString(16).padStart(64, '0');
const PAIR_A = 'fitment-11111111-1111-4111-8111-111111111111_22222222-2222-4222-8222-222222222222';
const PAIR_B = 'fitment-33333333-3333-4333-8333-333333333333_22222222-2222-4222-8222-222222222222';

describe('signed checkpoints', () => {
  const { checkpoint } = checkpointOf([{ streamId: PAIR_A, hash: hash(1) }], 42n, new Date('2026-12-03T08:00:00Z'));

  it('signs the RFC 8785 JSON of root, streams, position (a decimal string) and createdAt', () => {
    expect(checkpoint).toEqual({ root: expect.stringMatching(/^[0-9a-f]{64}$/), streams: 1, position: '42', createdAt: '2026-12-03T08:00:00.000Z' });
    expect(checkpointBytes(checkpoint).toString('utf8')).toBe(
      `{"createdAt":"2026-12-03T08:00:00.000Z","position":"42","root":"${checkpoint.root}","streams":1}`,
    );
  });

  it('given a signed checkpoint, when verified with the published SPKI PEM, then it holds; changed, it does not', () => {
    const signed = signCheckpoint(checkpoint, privateKey);
    expect(verifyCheckpointSignature(signed, publicKeyPem(privateKey))).toBe(true);
    expect(verifyCheckpointSignature({ ...signed, checkpoint: { ...checkpoint, position: '43' } }, publicKey)).toBe(false);
    expect(verifyCheckpointSignature({ ...signed, checkpoint: { ...checkpoint, streams: 2 } }, publicKey)).toBe(false);
    expect(verifyCheckpointSignature(signed, generateKeyPairSync('ed25519').publicKey)).toBe(false);
    expect(verifyCheckpointSignature({ ...signed, signature: 'not base64 at all' }, publicKey)).toBe(false);
  });

  it('names a key by the SHA-256 of its SPKI bytes, the same from either half', () => {
    expect(keyIdOf(privateKey)).toBe(keyIdOf(publicKey));
    expect(keyIdOf(privateKey)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('fitmentHeadsAt', () => {
  const log = [
    { streamId: PAIR_A, position: 1n, revision: 0n, metadata: { hash: hash(1) } },
    { streamId: 'part-x', position: 2n, revision: 0n, metadata: {} },
    { streamId: PAIR_B, position: 3n, revision: 0n, metadata: { hash: hash(3) } },
    { streamId: PAIR_A, position: 4n, revision: 1n, metadata: { hash: hash(4) } },
  ];

  it('given the log, when asked at a position, then each fitment stream has its last hash at or before it', () => {
    expect(fitmentHeadsAt(log, 3n)).toEqual([{ streamId: PAIR_A, hash: hash(1) }, { streamId: PAIR_B, hash: hash(3) }]);
    expect(fitmentHeadsAt(log, 4n)).toEqual([{ streamId: PAIR_A, hash: hash(4) }, { streamId: PAIR_B, hash: hash(3) }]);
    expect(fitmentHeadsAt(log, 0n)).toEqual([]);
  });
});

describe('checkConsistency', () => {
  const oldHeads = [{ streamId: PAIR_A, hash: hash(1) }, { streamId: PAIR_B, hash: hash(3) }];

  it('accepts new heads that extend every old one', () => {
    const chains = new Map([[PAIR_A, [hash(1), hash(4)]], [PAIR_B, [hash(3)]]]);
    expect(checkConsistency(oldHeads, [{ streamId: PAIR_A, hash: hash(4) }, { streamId: PAIR_B, hash: hash(3) }], chains)).toEqual([]);
  });

  it('names a stream whose chain no longer passes through its old head, and one that vanished', () => {
    const chains = new Map([[PAIR_A, [hash(9), hash(4)]]]);
    expect(checkConsistency(oldHeads, [{ streamId: PAIR_A, hash: hash(4) }], chains)).toEqual([
      { streamId: PAIR_A, reason: 'head_not_in_chain' },
      { streamId: PAIR_B, reason: 'stream_missing' },
    ]);
  });
});
