import { z } from 'zod';

/**
 * Checkpoints are recorded in the log as events of their own stream, so that their history is as
 * append-only as what they witness. They are audit records, not domain facts: no decider folds
 * them and they stay outside the DomainEvent union.
 */
export const AUDIT_CHECKPOINT_STREAM = 'audit-checkpoints';
export const AUDIT_CHECKPOINT_RECORDED = 'AuditCheckpointRecorded';

export const AuditCheckpointRecordedData = z.object({
  root: z.string().regex(/^[0-9a-f]{64}$/),
  streams: z.number().int().nonnegative(),
  position: z.string().regex(/^(0|[1-9]\d*)$/),
  createdAt: z.string(),
  signature: z.string().min(1),
  /** keyIdOf the signing key, so checkpoints survive a key rotation. */
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
});

export type AuditCheckpointRecordedData = z.infer<typeof AuditCheckpointRecordedData>;
