import { Module } from '@nestjs/common';
import { VerificationLocator } from '../../commands/verifications/verification-locator.js';
import { AuditCheckpointJob } from './audit-checkpoint.job.js';
import { AuditCheckpoints } from './audit-checkpoints.js';
import { AuditController } from './audit.controller.js';
import { AuditKeys } from './audit-keys.js';
import { AuditWitnessDeliveries } from './audit-witness-deliveries.js';
import { AuditWitnessJob } from './audit-witness.job.js';
import { VerificationProofHandler } from './verification-proof.query.js';

/** Audit anchors: signed checkpoints of the fitment hash chains, their jobs (making, witnessing), and verification proofs. */
@Module({
  controllers: [AuditController],
  providers: [AuditKeys, AuditCheckpoints, AuditCheckpointJob, AuditWitnessDeliveries, AuditWitnessJob, VerificationProofHandler, VerificationLocator],
})
export class AuditModule {}
