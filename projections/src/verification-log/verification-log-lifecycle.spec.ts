import { describe, expect, it } from '@jest/globals';
import { foldVerificationLog, verificationIdsTouched, type VerificationLogChange, type VerificationLogRow } from './verification-log-lifecycle.js';

const V1 = '11111111-1111-4111-8111-111111111111';
const V2 = '22222222-2222-4222-8222-222222222222';
const V3 = '33333333-3333-4333-8333-333333333333';
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

const at = (time: string) => new Date(`2025-03-01T${time}:00.000Z`);

const PAIR = { partId: '5b0a3c9e-6f1d-4c43-9a52-1f7e2b8d4a10', bikeId: 'c2f1e7a4-0b6d-4e59-8f3a-7d2c9b1e5a64' };
const OTHER_PAIR = { partId: '5b0a3c9e-6f1d-4c43-9a52-1f7e2b8d4a10', bikeId: '0e9d8c7b-6a59-4483-9271-605f4e3d2c1b' };

const row = (verificationId: string, fields: Partial<VerificationLogRow> = {}): VerificationLogRow => ({
  verification_id: verificationId,
  part_id: PAIR.partId,
  bike_id: PAIR.bikeId,
  user_id: 'rider-1',
  fits: true,
  notes: null,
  lifecycle: 'active',
  hidden: false,
  supersedes: null,
  superseded_by: null,
  submitted_at: at('10:00'),
  lifecycle_changed_at: null,
  retraction_reason: null,
  moderated_at: null,
  moderated_by: null,
  moderation_reason: null,
  event_id: `e${verificationId.slice(1)}`,
  position: '1',
  stream_id: 'fitment-x_y',
  revision: '1',
  hash: null,
  prev_hash: null,
  ...fields,
});

const submitted = (verificationId: string, time: string, supersedes?: string): VerificationLogChange => ({
  type: 'submitted',
  row: row(verificationId, { submitted_at: at(time), supersedes: supersedes ?? null }),
});
const retracted = (verificationId: string, time: string, reason: string | null = null, pair = PAIR): VerificationLogChange => ({ type: 'retracted', pair, verificationId, reason, at: at(time) });
const moderated = (verificationId: string, time: string, hidden: boolean, pair = PAIR): VerificationLogChange => ({
  type: 'moderated',
  pair,
  verificationId,
  hidden,
  moderatorId: 'moderator-7',
  reason: hidden ? 'Spam' : 'Appeal upheld',
  at: at(time),
});

describe('verification log lifecycle', () => {
  it('reads the submitted, superseded, retracted and moderated verifications', () => {
    expect(verificationIdsTouched([submitted(V2, '11:00', V1), retracted(V3, '12:00'), moderated(V1, '13:00', true)]).sort()).toEqual([V1, V2, V3]);
  });

  it('adds a submitted verification as active and marks the one it supersedes', () => {
    expect(foldVerificationLog([row(V1)], [submitted(V2, '11:00', V1)])).toEqual([
      row(V2, { submitted_at: at('11:00'), supersedes: V1 }),
      row(V1, { lifecycle: 'superseded', superseded_by: V2, lifecycle_changed_at: at('11:00') }),
    ]);
  });

  it('applies a supersession, retraction or moderation to a verification submitted earlier in the same changes', () => {
    const rows = foldVerificationLog([], [submitted(V1, '10:00'), moderated(V1, '10:30', true), submitted(V2, '11:00', V1), submitted(V3, '11:30'), retracted(V3, '12:00', 'Wrong year')]);
    expect(rows).toEqual([
      row(V1, { lifecycle: 'superseded', superseded_by: V2, lifecycle_changed_at: at('11:00'), hidden: true, moderated_at: at('10:30'), moderated_by: 'moderator-7', moderation_reason: 'Spam' }),
      row(V2, { submitted_at: at('11:00'), supersedes: V1 }),
      row(V3, { submitted_at: at('11:30'), lifecycle: 'retracted', retraction_reason: 'Wrong year', lifecycle_changed_at: at('12:00') }),
    ]);
  });

  it('changes nothing for a supersession, retraction or moderation of a verification with no row', () => {
    expect(foldVerificationLog([], [retracted(UNKNOWN, '10:00'), moderated(UNKNOWN, '11:00', true)])).toEqual([]);
    expect(foldVerificationLog([], [submitted(V2, '11:00', UNKNOWN)])).toEqual([row(V2, { submitted_at: at('11:00'), supersedes: UNKNOWN })]);
  });

  it('ignores a second submission of a logged id, but still marks what it supersedes', () => {
    const stored = [row(V1), row(V2, { lifecycle: 'retracted', lifecycle_changed_at: at('10:30') })];
    expect(foldVerificationLog(stored, [submitted(V2, '11:00', V1)])).toEqual([row(V1, { lifecycle: 'superseded', superseded_by: V2, lifecycle_changed_at: at('11:00') })]);
    expect(foldVerificationLog([], [submitted(V1, '10:00'), submitted(V1, '11:00')])).toEqual([row(V1)]);
  });

  it("changes nothing of another pair's verification, whatever an event of this pair names", () => {
    const otherPairs = { part_id: OTHER_PAIR.partId, bike_id: OTHER_PAIR.bikeId };
    const resubmitted: VerificationLogChange = { type: 'submitted', row: row(V2, { ...otherPairs, submitted_at: at('11:00'), supersedes: V1 }) };
    expect(foldVerificationLog([row(V1), row(V2)], [resubmitted, retracted(V1, '12:00', null, OTHER_PAIR), moderated(V1, '13:00', true, OTHER_PAIR)])).toEqual([]);
  });

  it('keeps the last of several moderations, and a restored verification its lifecycle', () => {
    const [restored] = foldVerificationLog([row(V1, { lifecycle: 'retracted' })], [moderated(V1, '11:00', true), moderated(V1, '12:00', false)]);
    expect(restored).toMatchObject({ lifecycle: 'retracted', hidden: false, moderated_at: at('12:00'), moderation_reason: 'Appeal upheld' });
  });

  it('returns only the rows it added or altered', () => {
    expect(foldVerificationLog([row(V1), row(V3)], [retracted(V3, '12:00')]).map((r) => r.verification_id)).toEqual([V3]);
  });
});
