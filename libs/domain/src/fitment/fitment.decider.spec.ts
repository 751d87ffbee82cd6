import { describe, expect, it } from '@jest/globals';
import { Conflict, Forbidden, InvalidStateTransition, NotFound, ValidationFailed } from '../errors.js';
import type { FitmentPublished, VerificationModerated, VerificationSubmitted } from '../events/domain-event.js';
import {
  BRAKE_PADS_ID,
  MODERATOR,
  MT07_ID,
  OTHER_RIDER,
  RIDER,
  SLIP_ON_ID,
  VERIFICATION_1,
  VERIFICATION_2,
  VERIFICATION_3,
} from '../testing/catalog-fixtures.js';
import { errorOf, given } from '../testing/given-events.js';
import type { ModerateVerification, PublishFitment, RetractVerification, SubmitVerification, WithdrawFitment } from './fitment.commands.js';
import { fitmentDecider } from './fitment.decider.js';

const pair = { partId: SLIP_ON_ID, bikeId: MT07_ID };

const publish = (overrides: Partial<PublishFitment> = {}): PublishFitment => ({
  type: 'PublishFitment',
  ...pair,
  source: 'manufacturer',
  partExists: true,
  bikeExists: true,
  ...overrides,
});
const withdraw = (overrides: Partial<WithdrawFitment> = {}): WithdrawFitment => ({
  type: 'WithdrawFitment',
  ...pair,
  source: 'staff',
  reason: 'Manufacturer recalled the fitment list',
  ...overrides,
});
const submit = (overrides: Partial<SubmitVerification> = {}): SubmitVerification => ({
  type: 'SubmitVerification',
  verificationId: VERIFICATION_1,
  ...pair,
  userId: RIDER,
  fits: true,
  partExists: true,
  bikeExists: true,
  ...overrides,
});
const retract = (overrides: Partial<RetractVerification> = {}): RetractVerification => ({
  type: 'RetractVerification',
  verificationId: VERIFICATION_1,
  userId: RIDER,
  ...overrides,
});
const moderate = (overrides: Partial<ModerateVerification> = {}): ModerateVerification => ({
  type: 'ModerateVerification',
  verificationId: VERIFICATION_1,
  moderatorId: MODERATOR,
  action: 'hide',
  reason: 'Spam link in the notes',
  ...overrides,
});

const published: FitmentPublished = { type: 'FitmentPublished', data: { ...pair, source: 'manufacturer' } };
const withdrawn = { type: 'FitmentWithdrawn', data: { ...pair, source: 'staff', reason: 'Recalled' } } as const;
const submitted = (verificationId: string, userId: string, fits: boolean, supersedes?: string): VerificationSubmitted => ({
  type: 'VerificationSubmitted',
  data: { verificationId, ...pair, userId, fits, ...(supersedes ? { supersedes } : {}) },
});
const riderConfirmed = submitted(VERIFICATION_1, RIDER, true);
const hidden: VerificationModerated = {
  type: 'VerificationModerated',
  data: { verificationId: VERIFICATION_1, moderatorId: MODERATOR, action: 'hidden', reason: 'Spam' },
};

describe('fitment decider: official fitment', () => {
  it('publishes an official fitment', () => {
    expect(given(fitmentDecider).when(publish({ notes: ' Requires link pipe ' }))).toEqual([
      { type: 'FitmentPublished', data: { ...pair, source: 'manufacturer', notes: 'Requires link pipe' } },
    ]);
  });

  it('appends nothing when the same source publishes again', () => {
    expect(given(fitmentDecider, published).when(publish())).toEqual([]);
  });

  it('records another source publishing the same fitment', () => {
    expect(given(fitmentDecider, published).when(publish({ source: 'retailer' }))).toEqual([
      { type: 'FitmentPublished', data: { ...pair, source: 'retailer' } },
    ]);
  });

  it('records the same source publishing new notes', () => {
    expect(given(fitmentDecider, published).when(publish({ notes: 'Euro 5 only' }))).toHaveLength(1);
  });

  it('refuses to publish a fitment for a part that does not exist', () => {
    const error = errorOf(() => given(fitmentDecider).when(publish({ partExists: false })));
    expect(error).toEqual(new NotFound('part', SLIP_ON_ID));
  });

  it('withdraws a published fitment', () => {
    expect(given(fitmentDecider, published).when(withdraw())).toEqual([
      { type: 'FitmentWithdrawn', data: { ...pair, source: 'staff', reason: 'Manufacturer recalled the fitment list' } },
    ]);
  });

  it('refuses to withdraw a fitment that was never published', () => {
    expect(() => given(fitmentDecider).when(withdraw())).toThrow(InvalidStateTransition);
  });

  it('refuses to withdraw a fitment twice', () => {
    expect(() => given(fitmentDecider, published, withdrawn).when(withdraw())).toThrow(InvalidStateTransition);
  });

  it('publishes again after a withdrawal', () => {
    expect(given(fitmentDecider, published, withdrawn).when(publish())).toHaveLength(1);
  });

  it('requires a reason to withdraw', () => {
    expect((errorOf(() => given(fitmentDecider, published).when(withdraw({ reason: '  ' }))) as ValidationFailed).field).toBe('reason');
  });

  it('refuses a command for another pair than the stream holds', () => {
    expect(() => given(fitmentDecider, published).when(publish({ partId: BRAKE_PADS_ID }))).toThrow(Conflict);
  });
});

describe('fitment decider: verifications', () => {
  it('records a rider verification of a part and bike that exist', () => {
    expect(given(fitmentDecider).when(submit({ notes: 'Bolted straight on.' }))).toEqual([
      { type: 'VerificationSubmitted', data: { verificationId: VERIFICATION_1, ...pair, userId: RIDER, fits: true, notes: 'Bolted straight on.' } },
    ]);
  });

  it('refuses notes with an email address or a phone number, naming the field, and a retraction reason likewise', () => {
    const refused = errorOf(() => given(fitmentDecider).when(submit({ notes: 'Questions? rider@example.com' })));
    expect(refused).toBeInstanceOf(ValidationFailed);
    expect((refused as ValidationFailed).errors).toEqual([{ field: 'notes', message: expect.stringContaining('must not contain an email address') }]);
    const reason = errorOf(() => given(fitmentDecider, submitted(VERIFICATION_1, RIDER, true)).when(retract({ reason: 'call me on +44 7700 900123' })));
    expect((reason as ValidationFailed).errors).toEqual([{ field: 'reason', message: expect.stringContaining('must not contain a') }]);
  });

  it('keeps a verification whose notes were erased as one without notes', () => {
    const sealed = { ...submitted(VERIFICATION_1, RIDER, true), data: { ...submitted(VERIFICATION_1, RIDER, true).data, notes: { commitment: 'a'.repeat(64) } } };
    // The same rider's retry without notes is the same verification: nothing new is appended.
    expect(given(fitmentDecider, sealed).when(submit({ fits: true }))).toEqual([]);
  });

  it('refuses a verification of a part that does not exist', () => {
    expect(errorOf(() => given(fitmentDecider).when(submit({ partExists: false })))).toEqual(new NotFound('part', SLIP_ON_ID));
  });

  it('refuses a verification of a bike that does not exist', () => {
    expect(errorOf(() => given(fitmentDecider).when(submit({ bikeExists: false })))).toEqual(new NotFound('bike', MT07_ID));
  });

  it('accepts notes of exactly 2,000 characters, counting an emoji as one', () => {
    expect(given(fitmentDecider).when(submit({ notes: '🏍'.repeat(2000) }))).toHaveLength(1);
  });

  it('rejects notes longer than 2,000 characters, naming the field', () => {
    const error = errorOf(() => given(fitmentDecider).when(submit({ notes: 'x'.repeat(2001) })));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).field).toBe('notes');
  });

  it("supersedes the rider's previous active verification", () => {
    expect(given(fitmentDecider, riderConfirmed).when(submit({ verificationId: VERIFICATION_2, fits: false }))).toEqual([
      submitted(VERIFICATION_2, RIDER, false, VERIFICATION_1),
    ]);
  });

  it("does not supersede another rider's verification", () => {
    expect(given(fitmentDecider, riderConfirmed).when(submit({ verificationId: VERIFICATION_2, userId: OTHER_RIDER }))).toEqual([
      submitted(VERIFICATION_2, OTHER_RIDER, true),
    ]);
  });

  it('supersedes only the latest of a rider’s verifications', () => {
    const second = submitted(VERIFICATION_2, RIDER, false, VERIFICATION_1);
    expect(given(fitmentDecider, riderConfirmed, second).when(submit({ verificationId: VERIFICATION_3 }))[0]?.data).toMatchObject({
      supersedes: VERIFICATION_2,
    });
  });

  it('supersedes nothing after the rider retracted their verification', () => {
    const retracted = { type: 'VerificationRetracted', data: { verificationId: VERIFICATION_1, userId: RIDER } } as const;
    expect(given(fitmentDecider, riderConfirmed, retracted).when(submit({ verificationId: VERIFICATION_2 }))[0]?.data).not.toHaveProperty('supersedes');
  });

  it('appends nothing when the same submission is retried with the same verification id', () => {
    expect(given(fitmentDecider, riderConfirmed).when(submit())).toEqual([]);
  });

  it('refuses a verification id that already names a different verification', () => {
    expect(() => given(fitmentDecider, riderConfirmed).when(submit({ fits: false }))).toThrow(Conflict);
  });

  it('lets the author retract an active verification', () => {
    expect(given(fitmentDecider, riderConfirmed).when(retract({ reason: 'Wrong bike' }))).toEqual([
      { type: 'VerificationRetracted', data: { verificationId: VERIFICATION_1, userId: RIDER, reason: 'Wrong bike' } },
    ]);
  });

  it('forbids retracting someone else’s verification', () => {
    expect(() => given(fitmentDecider, riderConfirmed).when(retract({ userId: OTHER_RIDER }))).toThrow(Forbidden);
  });

  it('refuses to retract a superseded verification', () => {
    const second = submitted(VERIFICATION_2, RIDER, false, VERIFICATION_1);
    const error = errorOf(() => given(fitmentDecider, riderConfirmed, second).when(retract()));
    expect(error).toEqual(new InvalidStateTransition('verification', VERIFICATION_1, 'superseded', 'retract'));
  });

  it('refuses to retract a verification twice', () => {
    const retracted = { type: 'VerificationRetracted', data: { verificationId: VERIFICATION_1, userId: RIDER } } as const;
    expect(() => given(fitmentDecider, riderConfirmed, retracted).when(retract())).toThrow(InvalidStateTransition);
  });

  it('reports an unknown verification as not found', () => {
    expect(errorOf(() => given(fitmentDecider).when(retract()))).toEqual(new NotFound('verification', VERIFICATION_1));
  });

  it('keeps the first submission of a verification id that a foreign writer re-used in the stream', () => {
    const { state } = given(fitmentDecider, riderConfirmed, submitted(VERIFICATION_1, OTHER_RIDER, false));
    expect(state.verifications.get(VERIFICATION_1)).toMatchObject({ userId: RIDER, fits: true, lifecycle: 'active' });
    expect(state.activeVerificationByUser).toEqual(new Map([[RIDER, VERIFICATION_1]]));
  });

  it("forgets a rider's active verification once it is superseded by someone else's event", () => {
    const { state } = given(fitmentDecider, riderConfirmed, submitted(VERIFICATION_2, OTHER_RIDER, false, VERIFICATION_1));
    expect(state.activeVerificationByUser).toEqual(new Map([[OTHER_RIDER, VERIFICATION_2]]));
    expect(given(fitmentDecider, riderConfirmed, submitted(VERIFICATION_2, OTHER_RIDER, false, VERIFICATION_1)).when(submit({ verificationId: VERIFICATION_3 }))[0]?.data).not.toHaveProperty('supersedes');
  });
});

describe('fitment decider: moderation', () => {
  it('hides a visible verification', () => {
    expect(given(fitmentDecider, riderConfirmed).when(moderate())).toEqual([
      { type: 'VerificationModerated', data: { verificationId: VERIFICATION_1, moderatorId: MODERATOR, action: 'hidden', reason: 'Spam link in the notes' } },
    ]);
  });

  it('refuses to hide a hidden verification', () => {
    expect(() => given(fitmentDecider, riderConfirmed, hidden).when(moderate())).toThrow(InvalidStateTransition);
  });

  it('restores a hidden verification', () => {
    expect(given(fitmentDecider, riderConfirmed, hidden).when(moderate({ action: 'restore', reason: 'Appeal accepted' }))[0]?.data).toMatchObject({
      action: 'restored',
    });
  });

  it('refuses to restore a visible verification', () => {
    expect(() => given(fitmentDecider, riderConfirmed).when(moderate({ action: 'restore' }))).toThrow(InvalidStateTransition);
  });

  it('requires a reason to moderate', () => {
    expect((errorOf(() => given(fitmentDecider, riderConfirmed).when(moderate({ reason: '' }))) as ValidationFailed).field).toBe('reason');
  });
});
