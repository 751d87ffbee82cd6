import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { MT07_ID, SLIP_ON_ID } from '../testing/catalog-fixtures.js';
import { FITMENT_HISTORY, storedFitmentStream } from '../testing/chained-fitment-stream.js';
import { GENESIS_HASH, chainMetadata, hashFitmentEvent } from './hash-chain.js';

const pair = { partId: SLIP_ON_ID, bikeId: MT07_ID };

describe('fitment hash chain', () => {
  it('hashes the canonical JSON of type, data, prevHash and revision with SHA-256', () => {
    const data = { fits: true, bikeId: MT07_ID };
    const canonical = `{"data":{"bikeId":"${MT07_ID}","fits":true},"prevHash":"${GENESIS_HASH}","revision":0,"type":"VerificationSubmitted"}`;
    expect(hashFitmentEvent({ type: 'VerificationSubmitted', data, prevHash: GENESIS_HASH, revision: 0n })).toBe(
      createHash('sha256').update(canonical).digest('hex'),
    );
  });

  it('starts a new stream from the genesis hash of 64 zeros', () => {
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
    expect(storedFitmentStream()[0]!.metadata.prevHash).toBe(GENESIS_HASH);
  });

  it('continues an existing stream from its last hash and next revision', () => {
    const whole = storedFitmentStream();
    const [third, fourth] = chainMetadata(FITMENT_HISTORY.slice(2), { lastHash: whole[1]!.metadata.hash as string, nextRevision: 2 });
    expect([third, fourth]).toEqual([whole[2]!.metadata, whole[3]!.metadata].map(({ prevHash, hash }) => ({ prevHash, hash })));
  });

  it('hashes data the same before and after a JSON round trip', () => {
    const data = { ...pair, source: 'manufacturer', notes: undefined };
    const link = { type: 'FitmentPublished', prevHash: GENESIS_HASH, revision: 0 };
    expect(hashFitmentEvent({ ...link, data })).toBe(hashFitmentEvent({ ...link, data: JSON.parse(JSON.stringify(data)) }));
  });
});
