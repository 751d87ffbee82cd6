import type { VerificationModerated, VerificationRetracted, VerificationSubmitted } from '../events/domain-event.js';
import type { VerificationLifecycle } from './fitment.state.js';

/**
 * The lifecycle of a pair's verifications, once: what each verification event does to which
 * verification. The fitment decider's `evolve` and the projections that keep verifications in
 * their own rows (compatibility, search evidence, the verification log) all ask this module, so
 * they cannot disagree on which verifications count; they only store the answer differently.
 *
 * The rules, in the order an event is applied:
 * - A submission adds an active, visible verification, unless its id is already held.
 * - **A re-used id**: a verification id names one rider's statement for good. A second
 *   VerificationSubmitted with a held id (in this pair or any other) does not restate it: the first
 *   submission's rider, answer and standing stay. The decider never appends one (a retry appends
 *   nothing, other content is a Conflict), so only a log written by something else carries it.
 *   Its `supersedes` is still honoured, as for any submission: it names the rider's previous
 *   verification, which the log says was replaced.
 * - Supersession applies after the submission, so a new verification naming itself as superseded
 *   ends superseded.
 * - Supersession, retraction and moderation change only a verification held by the event's own
 *   pair; one of an unknown id, or of another pair's id, changes nothing.
 * - Retraction and supersession set the lifecycle whatever it was; hiding is independent of the
 *   lifecycle, so a restored verification counts again only if it is still active.
 */

/** What decides whether a verification counts (`countVerifications`). */
export interface VerificationStanding {
  lifecycle: VerificationLifecycle;
  hidden: boolean;
}

/** A verification event of one pair, reduced to what the lifecycle depends on. */
export type VerificationStep =
  | { type: 'submitted'; verificationId: string; supersedes?: string | undefined }
  | { type: 'retracted'; verificationId: string }
  | { type: 'moderated'; verificationId: string; hidden: boolean };

export function verificationStepOf(event: VerificationSubmitted | VerificationRetracted | VerificationModerated): VerificationStep {
  switch (event.type) {
    case 'VerificationSubmitted':
      return { type: 'submitted', verificationId: event.data.verificationId, supersedes: event.data.supersedes };
    case 'VerificationRetracted':
      return { type: 'retracted', verificationId: event.data.verificationId };
    case 'VerificationModerated':
      return { type: 'moderated', verificationId: event.data.verificationId, hidden: event.data.action === 'hidden' };
  }
}

/** Who holds a verification id when an event of a pair names it. */
export type VerificationHolder = 'this-pair' | 'another-pair' | 'nobody';

/** A change to a verification that exists. */
export type VerificationAmendment =
  | { verificationId: string; change: 'superseded'; by: string }
  | { verificationId: string; change: 'retracted' }
  | { verificationId: string; change: 'hidden' | 'restored' };

/** What one event does, in order: a new verification (its record is the caller's to build), then amendments. */
export type VerificationTransition = { verificationId: string; change: 'submitted' } | VerificationAmendment;

/** The transitions of one event, given who holds each id before it. */
export function verificationTransitions(step: VerificationStep, holderOf: (verificationId: string) => VerificationHolder): VerificationTransition[] {
  const { verificationId } = step;
  switch (step.type) {
    case 'submitted': {
      const added = holderOf(verificationId) === 'nobody';
      const transitions: VerificationTransition[] = added ? [{ verificationId, change: 'submitted' }] : [];
      const { supersedes } = step;
      if (supersedes !== undefined && ((added && supersedes === verificationId) || holderOf(supersedes) === 'this-pair')) {
        transitions.push({ verificationId: supersedes, change: 'superseded', by: verificationId });
      }
      return transitions;
    }
    case 'retracted':
      return holderOf(verificationId) === 'this-pair' ? [{ verificationId, change: 'retracted' }] : [];
    case 'moderated':
      return holderOf(verificationId) === 'this-pair' ? [{ verificationId, change: step.hidden ? 'hidden' : 'restored' }] : [];
  }
}

/** The verification after an amendment; every other field is the caller's and stays. */
export function amendVerification<R extends VerificationStanding>(record: R, amendment: VerificationAmendment): R {
  switch (amendment.change) {
    case 'superseded':
    case 'retracted':
      return { ...record, lifecycle: amendment.change };
    case 'hidden':
    case 'restored':
      return { ...record, hidden: amendment.change === 'hidden' };
  }
}

/** How one event's caller keeps its verifications' records. */
export interface VerificationRecords<R extends VerificationStanding> {
  /** Whether a held verification is of the event's pair. */
  belongsToPair(record: R): boolean;
  /** The record of the new verification (active and visible) when the event adds one. */
  submitted(): R;
  /** The record after an amendment; by default `amendVerification`, which changes only the standing. */
  amended?(record: R, amendment: VerificationAmendment): R;
}

/**
 * Applies one event to verifications kept in a map by id (across pairs, as the read models keep
 * them) and returns its transitions, in order. An amendment to what a verification already is
 * (hiding a hidden one) is still a transition: a record may keep when and why it happened.
 */
export function applyVerificationStep<R extends VerificationStanding>(verifications: Map<string, R>, step: VerificationStep, records: VerificationRecords<R>): VerificationTransition[] {
  const holderOf = (id: string): VerificationHolder => {
    const record = verifications.get(id);
    if (record === undefined) return 'nobody';
    return records.belongsToPair(record) ? 'this-pair' : 'another-pair';
  };
  const amended = records.amended ?? amendVerification;
  const transitions = verificationTransitions(step, holderOf);
  for (const transition of transitions) {
    const next = transition.change === 'submitted' ? records.submitted() : amended(verifications.get(transition.verificationId)!, transition);
    verifications.set(transition.verificationId, next);
  }
  return transitions;
}

export const sameStanding = (a: VerificationStanding, b: VerificationStanding): boolean => a.lifecycle === b.lifecycle && a.hidden === b.hidden;
