import type { FitmentSource } from '../events/value-schemas.js';

/**
 * Commands on one `fitment-{partId}_{bikeId}` stream. Where a rule needs to know about other
 * streams (does the part exist?), the handler loads it and passes the answer in the command, so
 * `decide` stays pure.
 */
export interface PublishFitment {
  type: 'PublishFitment';
  partId: string;
  bikeId: string;
  source: FitmentSource;
  notes?: string | undefined;
  partExists: boolean;
  bikeExists: boolean;
}

export interface WithdrawFitment {
  type: 'WithdrawFitment';
  partId: string;
  bikeId: string;
  /** Who withdraws it. */
  source: FitmentSource;
  reason: string;
}

export interface SubmitVerification {
  type: 'SubmitVerification';
  /** Fresh from the handler (random, or `commandEventId(...)` of an Idempotency-Key). */
  verificationId: string;
  partId: string;
  bikeId: string;
  userId: string;
  fits: boolean;
  notes?: string | undefined;
  partExists: boolean;
  bikeExists: boolean;
}

export interface RetractVerification {
  type: 'RetractVerification';
  verificationId: string;
  /** The signed-in rider asking; only the author may retract. */
  userId: string;
  reason?: string | undefined;
}

/** The moderator role is checked at the edge; the domain records who acted and why. */
export interface ModerateVerification {
  type: 'ModerateVerification';
  verificationId: string;
  moderatorId: string;
  action: 'hide' | 'restore';
  reason: string;
}

export type FitmentCommand = PublishFitment | WithdrawFitment | SubmitVerification | RetractVerification | ModerateVerification;
