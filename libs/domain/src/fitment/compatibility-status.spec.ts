import { describe, expect, it } from '@jest/globals';
import type { DomainEvent, VerificationSubmitted } from '../events/domain-event.js';
import { MODERATOR, MT07_ID, OTHER_RIDER, RIDER, SLIP_ON_ID, VERIFICATION_1, VERIFICATION_2, VERIFICATION_3 } from '../testing/catalog-fixtures.js';
import { compatibilityFromEvents, compatibilityStatus, countVerifications, recountVerifications, verificationMovesByPair } from './compatibility-status.js';
import type { VerificationRecord } from './fitment.state.js';

const pair = { partId: SLIP_ON_ID, bikeId: MT07_ID };
const published = { type: 'FitmentPublished', data: { ...pair, source: 'manufacturer' } } as const;
const withdrawn = { type: 'FitmentWithdrawn', data: { ...pair, source: 'staff', reason: 'Recalled' } } as const;
const verification = (verificationId: string, userId: string, fits: boolean, supersedes?: string): VerificationSubmitted => ({
  type: 'VerificationSubmitted',
  data: { verificationId, ...pair, userId, fits, ...(supersedes ? { supersedes } : {}) },
});
const hide = (verificationId: string): DomainEvent => ({
  type: 'VerificationModerated',
  data: { verificationId, moderatorId: MODERATOR, action: 'hidden', reason: 'Spam' },
});
const restore = (verificationId: string): DomainEvent => ({
  type: 'VerificationModerated',
  data: { verificationId, moderatorId: MODERATOR, action: 'restored', reason: 'Appeal' },
});
const retract = (verificationId: string, userId: string): DomainEvent => ({ type: 'VerificationRetracted', data: { verificationId, userId } });

describe('compatibility status', () => {
  it('is no_data without official fitment or verifications', () => {
    expect(compatibilityFromEvents([])).toEqual({ status: 'no_data', confirmations: 0, refutations: 0, officialSource: null });
  });

  it('is verified while an official fitment is published, whatever riders say', () => {
    const status = compatibilityFromEvents([published, verification(VERIFICATION_1, RIDER, false)]);
    expect(status).toEqual({ status: 'verified', confirmations: 0, refutations: 1, officialSource: 'manufacturer' });
  });

  it('stops being verified when the official fitment is withdrawn', () => {
    expect(compatibilityFromEvents([published, withdrawn]).status).toBe('no_data');
  });

  it('is community when confirmations outnumber refutations', () => {
    expect(
      compatibilityFromEvents([verification(VERIFICATION_1, RIDER, true), verification(VERIFICATION_2, OTHER_RIDER, true), verification(VERIFICATION_3, 'user-3', false)]),
    ).toMatchObject({ status: 'community', confirmations: 2, refutations: 1 });
  });

  it('is disputed when refutations equal confirmations', () => {
    expect(compatibilityFromEvents([verification(VERIFICATION_1, RIDER, true), verification(VERIFICATION_2, OTHER_RIDER, false)]).status).toBe('disputed');
  });

  it('is disputed with refutations alone', () => {
    expect(compatibilityFromEvents([verification(VERIFICATION_1, RIDER, false)]).status).toBe('disputed');
  });

  it('does not count hidden verifications', () => {
    expect(compatibilityFromEvents([verification(VERIFICATION_1, RIDER, false), hide(VERIFICATION_1)]).status).toBe('no_data');
  });

  it('counts a restored verification again', () => {
    expect(compatibilityFromEvents([verification(VERIFICATION_1, RIDER, false), hide(VERIFICATION_1), restore(VERIFICATION_1)]).status).toBe('disputed');
  });

  it('does not count retracted verifications', () => {
    expect(compatibilityFromEvents([verification(VERIFICATION_1, RIDER, true), retract(VERIFICATION_1, RIDER)]).status).toBe('no_data');
  });

  it('counts only the latest verification of a rider who changed their mind', () => {
    const changedMind = [verification(VERIFICATION_1, RIDER, false), verification(VERIFICATION_2, RIDER, true, VERIFICATION_1)];
    expect(compatibilityFromEvents(changedMind)).toMatchObject({ status: 'community', confirmations: 1, refutations: 0 });
  });

  it('applies the rule to counts kept elsewhere', () => {
    expect(compatibilityStatus({ officialPublished: false, confirmations: 3, refutations: 3 })).toBe('disputed');
  });
});

describe('recountVerifications', () => {
  type Standing = Pick<VerificationRecord, 'fits' | 'lifecycle' | 'hidden'>;
  const standings: Standing[] = [true, false].flatMap((fits) =>
    (['active', 'superseded', 'retracted'] as const).flatMap((lifecycle) => [true, false].map((hidden) => ({ fits, lifecycle, hidden }))),
  );

  it('gives what counting the verifications after the moves gives, for every move between standings', () => {
    const others: Standing[] = [
      { fits: true, lifecycle: 'active', hidden: false },
      { fits: false, lifecycle: 'active', hidden: false },
      { fits: true, lifecycle: 'retracted', hidden: false },
    ];
    for (const before of [undefined, ...standings]) {
      for (const after of standings) {
        const stored = before ? [...others, before] : others;
        expect(recountVerifications(countVerifications(stored), [{ before, after }])).toEqual(countVerifications([...others, after]));
      }
    }
  });

  it('adds up several moves, a new verification and one that stops counting', () => {
    const counts = recountVerifications({ confirmations: 5, refutations: 2 }, [
      { after: { fits: false, lifecycle: 'active', hidden: false } },
      { before: { fits: true, lifecycle: 'active', hidden: false }, after: { fits: true, lifecycle: 'superseded', hidden: false } },
      { before: { fits: true, lifecycle: 'active', hidden: false }, after: { fits: true, lifecycle: 'active', hidden: true } },
    ]);
    expect(counts).toEqual({ confirmations: 3, refutations: 3 });
  });
});

describe('verificationMovesByPair', () => {
  it('groups each changed verification by the pair it is in now, from its stored standing (none when new)', () => {
    type Row = { id: string; pair: string; fits: boolean; lifecycle: 'active' | 'superseded'; hidden: boolean };
    const row = (id: string, pair: string, lifecycle: Row['lifecycle'] = 'active'): Row => ({ id, pair, fits: true, lifecycle, hidden: false });
    const stored = new Map([['v1', row('v1', 'a')], ['v9', row('v9', 'b')]]);
    const now = new Map([['v1', row('v1', 'a', 'superseded')], ['v2', row('v2', 'a')], ['v3', row('v3', 'b')], ['v9', row('v9', 'b')]]);
    const moves = verificationMovesByPair(['v1', 'v2', 'v3'], stored, now, (verification) => verification.pair);
    expect([...moves.keys()]).toEqual(['a', 'b']);
    expect(moves.get('a')).toEqual([{ before: row('v1', 'a'), after: row('v1', 'a', 'superseded') }, { before: undefined, after: row('v2', 'a') }]);
    expect(moves.get('b')).toEqual([{ before: undefined, after: row('v3', 'b') }]);
  });
});
