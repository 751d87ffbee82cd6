import { foldEvents } from '../decider.js';
import type { DomainEvent } from '../events/domain-event.js';
import type { FitmentSource } from '../events/value-schemas.js';
import { fitmentDecider } from './fitment.decider.js';
import type { FitmentState, VerificationRecord } from './fitment.state.js';

export const COMPATIBILITY_STATUSES = ['verified', 'community', 'disputed', 'no_data'] as const;
export type CompatibilityStatus = (typeof COMPATIBILITY_STATUSES)[number];

export interface VerificationCounts {
  /** Active, visible verifications saying it fits. */
  confirmations: number;
  /** Active, visible verifications saying it does not. */
  refutations: number;
}

export interface Compatibility extends VerificationCounts {
  status: CompatibilityStatus;
  /** Source of the published official fitment; null when none is published (never or withdrawn). */
  officialSource: FitmentSource | null;
}

/**
 * The rule of DESIGN §4, on counts, so a projection that keeps counters in SQL can use it too.
 * "disputed" is written there as (refutations >= confirmations > 0 or refutations > 0); once
 * "community" (confirmations > refutations) is ruled out, both reduce to refutations > 0.
 */
export function compatibilityStatus(input: VerificationCounts & { officialPublished: boolean }): CompatibilityStatus {
  if (input.officialPublished) return 'verified';
  if (input.confirmations > input.refutations) return 'community';
  if (input.refutations > 0) return 'disputed';
  return 'no_data';
}

/** Superseded, retracted and hidden verifications do not count. */
export function countVerifications(verifications: Iterable<Pick<VerificationRecord, 'fits' | 'lifecycle' | 'hidden'>>): VerificationCounts {
  let confirmations = 0;
  let refutations = 0;
  for (const verification of verifications) {
    if (verification.lifecycle !== 'active' || verification.hidden) continue;
    if (verification.fits) confirmations += 1;
    else refutations += 1;
  }
  return { confirmations, refutations };
}

type Standing = Pick<VerificationRecord, 'fits' | 'lifecycle' | 'hidden'>;

/**
 * The counts after verifications change standing, from the counts before: each moved verification
 * leaves what it counted for (nothing when it is new) and counts for what it is now, by
 * `countVerifications`. So a projection that stores a pair's counts recounts it from the
 * verifications an event moved, not from the pair's every verification.
 */
export function recountVerifications(counts: VerificationCounts, moves: Iterable<VerificationMove<Standing>>): VerificationCounts {
  let { confirmations, refutations } = counts;
  for (const { before, after } of moves) {
    const left = countVerifications(before ? [before] : []);
    const joined = countVerifications([after]);
    confirmations += joined.confirmations - left.confirmations;
    refutations += joined.refutations - left.refutations;
  }
  return { confirmations, refutations };
}

/** A verification's standing before a batch (none when the batch submitted it) and after it. */
export interface VerificationMove<V extends Standing> {
  before?: V;
  after: V;
}

/**
 * The moves of the verifications a batch changed, grouped by the pair each belongs to now: what
 * `recountVerifications` takes for each pair. `stored` holds them as they stood before the batch,
 * `now` as the batch leaves them (every changed id is in `now`).
 */
export function verificationMovesByPair<V extends Standing>(
  changed: Iterable<string>,
  stored: ReadonlyMap<string, V>,
  now: ReadonlyMap<string, V>,
  pairOf: (verification: V) => string,
): Map<string, VerificationMove<V>[]> {
  const moves = [...changed].map((id): VerificationMove<V> => ({ before: stored.get(id), after: now.get(id)! }));
  return Map.groupBy(moves, (move) => pairOf(move.after));
}

export function compatibilityOf(state: FitmentState): Compatibility {
  const counts = countVerifications(state.verifications.values());
  const officialSource = state.official.status === 'published' ? state.official.source : null;
  return { status: compatibilityStatus({ ...counts, officialPublished: officialSource !== null }), ...counts, officialSource };
}

/** The compatibility of a pair after the given events of its fitment stream, in stream order. */
export function compatibilityFromEvents(events: Iterable<DomainEvent>): Compatibility {
  return compatibilityOf(foldEvents(fitmentDecider, events));
}
