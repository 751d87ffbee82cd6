import { z } from 'zod';
import { EntityId, FitmentSource, Notes, Reason, UserId } from '../events/value-schemas.js';
import { SealedText } from '../personal-text/sealed-text.js';

export const FitmentPublishedData = z.object({
  partId: EntityId,
  bikeId: EntityId,
  source: FitmentSource,
  notes: Notes.optional(),
});
export type FitmentPublishedData = z.infer<typeof FitmentPublishedData>;

export const FitmentWithdrawnData = z.object({
  partId: EntityId,
  bikeId: EntityId,
  /** Who withdrew the official fitment (not necessarily who published it). */
  source: FitmentSource,
  reason: Reason,
});
export type FitmentWithdrawnData = z.infer<typeof FitmentWithdrawnData>;

export const VerificationSubmittedData = z.object({
  verificationId: EntityId,
  partId: EntityId,
  bikeId: EntityId,
  userId: UserId,
  fits: z.boolean(),
  /**
   * The rider's text: plain in events written before sealing (0019), since then a salted
   * commitment whose ciphertext is in `metadata.sealed.notes` (personal-text/sealed-text.ts).
   */
  notes: z.union([Notes, SealedText]).optional(),
  /** The same rider's previously active verification of this pair, which this one replaces. */
  supersedes: EntityId.optional(),
});
export type VerificationSubmittedData = z.infer<typeof VerificationSubmittedData>;

export const VerificationRetractedData = z.object({
  verificationId: EntityId,
  userId: UserId,
  /** Plain or sealed, as VerificationSubmitted's `notes`. */
  reason: z.union([Reason, SealedText]).optional(),
});
export type VerificationRetractedData = z.infer<typeof VerificationRetractedData>;

export const VerificationModeratedData = z.object({
  verificationId: EntityId,
  moderatorId: UserId,
  action: z.enum(['hidden', 'restored']),
  reason: Reason,
});
export type VerificationModeratedData = z.infer<typeof VerificationModeratedData>;
