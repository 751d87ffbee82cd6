import { describe, expect, it } from '@jest/globals';
import { foldEvidence, verificationIdsOf, type EvidenceEvent, type PairRow, type VerificationRow } from './search-documents-evidence.js';

const PART = '5b0a3c9e-6f1d-4c43-9a52-1f7e2b8d4a10';
const BIKE = 'c2f1e7a4-0b6d-4e59-8f3a-7d2c9b1e5a64';
const OTHER_BIKE = '0e8d4b2a-9c7f-4a13-b5e6-2f1a3c4d5e6f';
const pair = { partId: PART, bikeId: BIKE };
const otherPair = { partId: PART, bikeId: OTHER_BIKE };

const submitted = (verificationId: string, fits: boolean, fields: { supersedes?: string; on?: typeof pair } = {}): EvidenceEvent => ({
  kind: 'submitted',
  ...(fields.on ?? pair),
  verificationId,
  fits,
  ...(fields.supersedes === undefined ? {} : { supersedes: fields.supersedes }),
});
const storedVerification = (verificationId: string, fields: Partial<VerificationRow> = {}): VerificationRow => ({
  verificationId,
  ...pair,
  fits: true,
  lifecycle: 'active',
  hidden: false,
  ...fields,
});
const storedPair = (fields: Partial<PairRow> = {}): PairRow => ({ ...pair, official: 'none', status: 'no_data', confirmations: 0, refutations: 0, ...fields });
const nothingStored = { pairs: [], verifications: [] };

describe('folding fitment evidence for search', () => {
  it('counts a new pair from its first verifications', () => {
    const changes = foldEvidence(nothingStored, [submitted('v1', true), submitted('v2', true), submitted('v3', false)]);
    expect(changes.pairs).toEqual([storedPair({ status: 'community', confirmations: 2, refutations: 1 })]);
    expect(changes.verifications.map((v) => v.verificationId)).toEqual(['v1', 'v2', 'v3']);
  });

  it('folds several events of one pair into one row, official fitment first in rank', () => {
    const changes = foldEvidence(nothingStored, [
      submitted('v1', false),
      { kind: 'official', ...pair, official: 'published' },
      { kind: 'moderated', ...pair, verificationId: 'v1', hidden: true },
    ]);
    expect(changes.pairs).toEqual([storedPair({ official: 'published', status: 'verified' })]);
    expect(changes.verifications).toEqual([storedVerification('v1', { fits: false, hidden: true })]);
  });

  it('recounts a stored pair with its stored verifications: supersession, retraction and withdrawal', () => {
    const stored = {
      pairs: [storedPair({ official: 'published', status: 'verified', confirmations: 2 })],
      verifications: [storedVerification('v1'), storedVerification('v2')],
    };
    const changes = foldEvidence(stored, [
      submitted('v3', false, { supersedes: 'v1' }),
      { kind: 'retracted', ...pair, verificationId: 'v2' },
      { kind: 'official', ...pair, official: 'withdrawn' },
    ]);
    expect(changes.pairs).toEqual([storedPair({ official: 'withdrawn', status: 'disputed', confirmations: 0, refutations: 1 })]);
    expect(changes.verifications).toEqual([
      storedVerification('v3', { fits: false }),
      storedVerification('v1', { lifecycle: 'superseded' }),
      storedVerification('v2', { lifecycle: 'retracted' }),
    ]);
  });

  it('ignores a second submission of a verification id, in its own pair or another', () => {
    const stored = { pairs: [storedPair()], verifications: [storedVerification('v1', { hidden: true })] };
    const changes = foldEvidence(stored, [submitted('v1', false), submitted('v1', true, { on: otherPair })]);
    // The hidden verification stays hidden; the other pair gets a row but no verification.
    expect(changes.pairs).toEqual([storedPair({ ...otherPair })]);
    expect(changes.verifications).toEqual([]);
  });

  it('leaves a verification of another pair alone when an event names it', () => {
    const stored = { pairs: [], verifications: [storedVerification('v1', { ...otherPair })] };
    const changes = foldEvidence(stored, [
      { kind: 'retracted', ...pair, verificationId: 'v1' },
      { kind: 'moderated', ...pair, verificationId: 'v1', hidden: true },
      submitted('v2', true, { supersedes: 'v1' }),
    ]);
    expect(changes.verifications).toEqual([storedVerification('v2')]);
    expect(changes.pairs).toEqual([storedPair({ status: 'community', confirmations: 1 })]);
  });

  it('writes nothing for a pair whose row the events leave as it was', () => {
    const stored = { pairs: [storedPair({ official: 'published', status: 'verified' })], verifications: [storedVerification('v1', { hidden: true })] };
    const changes = foldEvidence(stored, [
      { kind: 'official', ...pair, official: 'published' },
      { kind: 'moderated', ...pair, verificationId: 'v1', hidden: true },
    ]);
    expect(changes).toEqual({ pairs: [], verifications: [] });
  });

  it('recounts from the stored counts and the verifications the events move, not the other verifications of the pair', () => {
    // Nine active confirmations are stored for the pair; only the one the event names is loaded.
    const stored = { pairs: [storedPair({ status: 'community', confirmations: 9, refutations: 2 })], verifications: [storedVerification('v9')] };
    const changes = foldEvidence(stored, [{ kind: 'retracted', ...pair, verificationId: 'v9' }, submitted('v10', false)]);
    expect(changes.pairs).toEqual([storedPair({ status: 'community', confirmations: 8, refutations: 3 })]);
  });
});

describe('the verification ids a batch loads', () => {
  it('are every id the events submit, supersede, retract or moderate, each once', () => {
    const ids = verificationIdsOf([
      submitted('v1', true),
      submitted('v2', true, { supersedes: 'v1' }),
      { kind: 'retracted', ...pair, verificationId: 'v3' },
      { kind: 'moderated', ...pair, verificationId: 'v4', hidden: true },
      { kind: 'official', ...pair, official: 'published' },
    ]);
    expect(ids).toEqual(['v1', 'v2', 'v3', 'v4']);
  });
});
