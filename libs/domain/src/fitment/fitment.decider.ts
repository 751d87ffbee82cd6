import type { Decider } from '../decider.js';
import { Conflict, Forbidden, InvalidStateTransition, NotFound } from '../errors.js';
import type { DomainEvent, FitmentEvent, VerificationModerated, VerificationRetracted, VerificationSubmitted } from '../events/domain-event.js';
import { validatedEventData } from '../events/parse-event.js';
import { refuseContactDetails } from '../personal-text/contact-details.js';
import type {
  FitmentCommand,
  ModerateVerification,
  PublishFitment,
  RetractVerification,
  SubmitVerification,
  WithdrawFitment,
} from './fitment.commands.js';
import type { FitmentState, VerificationRecord } from './fitment.state.js';
import { applyVerificationStep, verificationStepOf } from './verification-lifecycle.js';

export const fitmentDecider: Decider<FitmentCommand, FitmentState, FitmentEvent> = {
  initialState: () => ({ official: { status: 'none' }, verifications: new Map(), activeVerificationByUser: new Map() }),
  evolve: evolveFitment,
  decide(command: FitmentCommand, state: FitmentState): FitmentEvent[] {
    switch (command.type) {
      case 'PublishFitment':
        return publishFitment(command, state);
      case 'WithdrawFitment':
        return withdrawFitment(command, state);
      case 'SubmitVerification':
        return submitVerification(command, state);
      case 'RetractVerification':
        return retractVerification(command, state);
      case 'ModerateVerification':
        return moderateVerification(command, state);
    }
  },
};

function evolveFitment(state: FitmentState, event: DomainEvent): FitmentState {
  switch (event.type) {
    case 'FitmentPublished': {
      const { partId, bikeId, source, notes } = event.data;
      return { ...state, pair: { partId, bikeId }, official: { status: 'published', source, notes } };
    }
    case 'FitmentWithdrawn': {
      const { partId, bikeId, source, reason } = event.data;
      return { ...state, pair: { partId, bikeId }, official: { status: 'withdrawn', withdrawnBy: source, reason } };
    }
    case 'VerificationSubmitted':
    case 'VerificationRetracted':
    case 'VerificationModerated':
      return evolveVerifications(state, event);
    default:
      return state;
  }
}

/** The lifecycle is verification-lifecycle.ts; this keeps each rider's one active verification beside it. */
function evolveVerifications(state: FitmentState, event: VerificationSubmitted | VerificationRetracted | VerificationModerated): FitmentState {
  const verifications = new Map(state.verifications);
  const activeVerificationByUser = new Map(state.activeVerificationByUser);
  const transitions = applyVerificationStep(verifications, verificationStepOf(event), {
    // A stream holds one pair's events only.
    belongsToPair: () => true,
    submitted: (): VerificationRecord => {
      const { verificationId, userId, fits, notes } = event.data as VerificationSubmitted['data'];
      // Still sealed here means unreadable (erased): the same as no notes for every rule.
      return { verificationId, userId, fits, notes: typeof notes === 'string' ? notes : undefined, lifecycle: 'active', hidden: false };
    },
  });
  for (const { verificationId, change } of transitions) {
    const record = verifications.get(verificationId)!;
    if (change === 'submitted') activeVerificationByUser.set(record.userId, verificationId);
    else if (record.lifecycle !== 'active' && activeVerificationByUser.get(record.userId) === verificationId) activeVerificationByUser.delete(record.userId);
  }
  const pair = event.type === 'VerificationSubmitted' ? { partId: event.data.partId, bikeId: event.data.bikeId } : state.pair;
  return { ...state, ...(pair && { pair }), verifications, activeVerificationByUser };
}

const pairId = (partId: string, bikeId: string): string => `${partId}_${bikeId}`;

/** A handler bug (wrong stream for the command) must not write a foreign pair's event into this chain. */
function assertSamePair(state: FitmentState, partId: string, bikeId: string): void {
  if (state.pair && (state.pair.partId !== partId || state.pair.bikeId !== bikeId)) {
    throw new Conflict('wrong_fitment_stream', `command for ${pairId(partId, bikeId)} sent to the stream of ${pairId(state.pair.partId, state.pair.bikeId)}`);
  }
}

function assertReferencesExist(command: { partId: string; bikeId: string; partExists: boolean; bikeExists: boolean }): void {
  if (!command.partExists) throw new NotFound('part', command.partId);
  if (!command.bikeExists) throw new NotFound('bike', command.bikeId);
}

/**
 * Re-publishing by the same source appends nothing unless it brings different notes (absent notes
 * mean "no new information"). Another source re-publishing is recorded: the latest source is the
 * one shown, e.g. a manufacturer confirming what a retailer listed.
 */
function publishFitment(command: PublishFitment, state: FitmentState): FitmentEvent[] {
  const data = validatedEventData('FitmentPublished', {
    partId: command.partId,
    bikeId: command.bikeId,
    source: command.source,
    notes: command.notes?.trim() || undefined,
  });
  assertSamePair(state, data.partId, data.bikeId);
  assertReferencesExist(command);
  const official = state.official;
  if (official.status === 'published' && official.source === data.source && (data.notes === undefined || data.notes === official.notes)) {
    return [];
  }
  return [{ type: 'FitmentPublished', data }];
}

function withdrawFitment(command: WithdrawFitment, state: FitmentState): FitmentEvent[] {
  const data = validatedEventData('FitmentWithdrawn', {
    partId: command.partId,
    bikeId: command.bikeId,
    source: command.source,
    reason: command.reason,
  });
  assertSamePair(state, data.partId, data.bikeId);
  if (state.official.status !== 'published') {
    const from = state.official.status === 'none' ? 'not published' : 'already withdrawn';
    throw new InvalidStateTransition('fitment', pairId(data.partId, data.bikeId), from, 'withdraw');
  }
  return [{ type: 'FitmentWithdrawn', data }];
}

/**
 * A retried submission (same verification id, same content) appends nothing, so a handler that
 * derives the id from an Idempotency-Key gets exactly-once behaviour.
 */
function submitVerification(command: SubmitVerification, state: FitmentState): FitmentEvent[] {
  const notes = command.notes?.trim() || undefined;
  refuseContactDetails('notes', notes);
  const existing = state.verifications.get(command.verificationId);
  if (existing) {
    if (existing.userId === command.userId && existing.fits === command.fits && existing.notes === notes) return [];
    throw new Conflict('verification_id_taken', `verification ${command.verificationId} already exists with other content`);
  }
  const data = validatedEventData('VerificationSubmitted', {
    verificationId: command.verificationId,
    partId: command.partId,
    bikeId: command.bikeId,
    userId: command.userId,
    fits: command.fits,
    notes,
    supersedes: state.activeVerificationByUser.get(command.userId),
  });
  assertSamePair(state, data.partId, data.bikeId);
  assertReferencesExist(command);
  return [{ type: 'VerificationSubmitted', data }];
}

function existingVerification(state: FitmentState, verificationId: string): VerificationRecord {
  const record = state.verifications.get(verificationId);
  if (!record) throw new NotFound('verification', verificationId);
  return record;
}

function retractVerification(command: RetractVerification, state: FitmentState): FitmentEvent[] {
  const record = existingVerification(state, command.verificationId);
  if (record.userId !== command.userId) throw new Forbidden(command.userId, `retract verification ${record.verificationId}`);
  if (record.lifecycle !== 'active') {
    throw new InvalidStateTransition('verification', record.verificationId, record.lifecycle, 'retract');
  }
  const reason = command.reason?.trim() || undefined;
  refuseContactDetails('reason', reason);
  const data = validatedEventData('VerificationRetracted', { verificationId: record.verificationId, userId: command.userId, reason });
  return [{ type: 'VerificationRetracted', data }];
}

function moderateVerification(command: ModerateVerification, state: FitmentState): FitmentEvent[] {
  const record = existingVerification(state, command.verificationId);
  if (command.action === 'hide' && record.hidden) {
    throw new InvalidStateTransition('verification', record.verificationId, 'hidden', 'hide');
  }
  if (command.action === 'restore' && !record.hidden) {
    throw new InvalidStateTransition('verification', record.verificationId, 'visible', 'restore');
  }
  const data = validatedEventData('VerificationModerated', {
    verificationId: record.verificationId,
    moderatorId: command.moderatorId,
    action: command.action === 'hide' ? 'hidden' : 'restored',
    reason: command.reason,
  });
  return [{ type: 'VerificationModerated', data }];
}
