import { Module } from '@nestjs/common';
import { VerificationLocator } from '../verifications/verification-locator.js';
import { AuditCheckpointJob } from './audit-checkpoint.job.js';
import { AuditCheckpoints } from './audit-checkpoints.js';
import { AuditController } from './audit.controller.js';
import { AuditKeys } from './audit-keys.js';
import { VerificationProofHandler } from './verification-proof.query.js';

/** Audit anchors: signed checkpoints of the fitment hash chains, their job, and verification proofs. */
@Module({
  controllers: [AuditController],
  providers: [AuditKeys, AuditCheckpoints, AuditCheckpointJob, VerificationProofHandler, VerificationLocator],
})
export class AuditModule {}
