import { describe, expect, it } from '@jest/globals';
import { VERIFICATION_1, VERIFICATION_2, VERIFICATION_3 } from '../testing/catalog-fixtures.js';
import { applyVerificationStep, verificationTransitions, type VerificationHolder, type VerificationStanding } from './verification-lifecycle.js';

type Held = VerificationStanding & { pair: 'this' | 'other'; note?: string };
const active = (pair: Held['pair'] = 'this'): Held => ({ pair, lifecycle: 'active', hidden: false });
const apply = (held: Record<string, Held>, ...steps: Parameters<typeof applyVerificationStep>[1][]) => {
  const verifications = new Map(Object.entries(held));
  for (const step of steps) applyVerificationStep(verifications, step, { belongsToPair: (record) => record.pair === 'this', submitted: () => active() });
  return Object.fromEntries(verifications);
};
const holders = (held: Record<string, VerificationHolder>) => (id: string): VerificationHolder => held[id] ?? 'nobody';

describe('verification lifecycle', () => {
  it('adds a submitted verification and supersedes the one it names', () => {
    expect(apply({ [VERIFICATION_1]: active() }, { type: 'submitted', verificationId: VERIFICATION_2, supersedes: VERIFICATION_1 })).toEqual({
      [VERIFICATION_1]: { ...active(), lifecycle: 'superseded' },
      [VERIFICATION_2]: active(),
    });
  });

  it('keeps the first submission of a re-used id, and still supersedes what the second names', () => {
    const held = { [VERIFICATION_1]: active(), [VERIFICATION_2]: { ...active(), lifecycle: 'retracted' as const, note: 'first' } };
    expect(apply(held, { type: 'submitted', verificationId: VERIFICATION_2, supersedes: VERIFICATION_1 })).toEqual({
      [VERIFICATION_1]: { ...active(), lifecycle: 'superseded' },
      [VERIFICATION_2]: held[VERIFICATION_2],
    });
  });

  it('ignores a submission of an id another pair holds, and what it names there', () => {
    expect(verificationTransitions({ type: 'submitted', verificationId: VERIFICATION_1, supersedes: VERIFICATION_2 }, holders({ [VERIFICATION_1]: 'another-pair', [VERIFICATION_2]: 'another-pair' }))).toEqual([]);
  });

  it('supersedes a new verification that names itself, since supersession follows the submission', () => {
    expect(apply({}, { type: 'submitted', verificationId: VERIFICATION_1, supersedes: VERIFICATION_1 })).toEqual({ [VERIFICATION_1]: { ...active(), lifecycle: 'superseded' } });
  });

  it("changes nothing for an unknown id or another pair's verification", () => {
    const held = { [VERIFICATION_1]: active('other') };
    expect(apply(held, { type: 'retracted', verificationId: VERIFICATION_1 }, { type: 'moderated', verificationId: VERIFICATION_1, hidden: true }, { type: 'retracted', verificationId: VERIFICATION_3 })).toEqual(held);
  });

  it('retracts whatever the lifecycle, and hides and restores independently of it', () => {
    const held = { [VERIFICATION_1]: { ...active(), lifecycle: 'superseded' as const } };
    expect(apply(held, { type: 'moderated', verificationId: VERIFICATION_1, hidden: true }, { type: 'retracted', verificationId: VERIFICATION_1 }, { type: 'moderated', verificationId: VERIFICATION_1, hidden: false })).toEqual({
      [VERIFICATION_1]: { ...active(), lifecycle: 'retracted' },
    });
  });

  it('lets the caller keep more than the standing on each amendment', () => {
    const verifications = new Map([[VERIFICATION_1, active()]]);
    const transitions = applyVerificationStep(verifications, { type: 'moderated', verificationId: VERIFICATION_1, hidden: true }, {
      belongsToPair: () => true,
      submitted: () => active(),
      amended: (record, amendment) => ({ ...record, hidden: true, note: amendment.change }),
    });
    expect(transitions).toEqual([{ verificationId: VERIFICATION_1, change: 'hidden' }]);
    expect(verifications.get(VERIFICATION_1)).toEqual({ ...active(), hidden: true, note: 'hidden' });
  });
});
