import type { FitmentSource } from '../events/value-schemas.js';

export type OfficialFitment =
  | { status: 'none' }
  | { status: 'published'; source: FitmentSource; notes?: string | undefined }
  | { status: 'withdrawn'; withdrawnBy: FitmentSource; reason: string };

/** `superseded`: the same rider submitted a newer verification of the pair. */
export type VerificationLifecycle = 'active' | 'superseded' | 'retracted';

export interface VerificationRecord {
  verificationId: string;
  userId: string;
  fits: boolean;
  notes?: string | undefined;
  lifecycle: VerificationLifecycle;
  /** Hidden by a moderator; independent of the lifecycle. */
  hidden: boolean;
}

export interface FitmentState {
  /** Known once the stream has an event. */
  pair?: { partId: string; bikeId: string };
  official: OfficialFitment;
  /** In submission order. */
  verifications: ReadonlyMap<string, VerificationRecord>;
  /** userId -> the rider's one active verification of this pair. */
  activeVerificationByUser: ReadonlyMap<string, string>;
}
