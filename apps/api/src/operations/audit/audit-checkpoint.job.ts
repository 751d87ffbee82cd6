import { Injectable } from '@nestjs/common';
import { systemContext } from '../../commands/shell/command-context.js';
import { ScheduledJob, type JobHandler } from '../jobs/scheduled-job.js';
import { AuditCheckpoints } from './audit-checkpoints.js';
import { AuditKeys } from './audit-keys.js';

/**
 * Hourly signed checkpoint, written to AUDIT_WITNESS_DIR too when set (the operator's witness). An
 * hour in which no fitment stream moved adds nothing: the latest checkpoint still covers the log.
 */
@ScheduledJob({ name: 'audit-checkpoint', cron: '0 50 * * * *', description: 'signs a checkpoint of every fitment stream head (hourly)' })
@Injectable()
export class AuditCheckpointJob implements JobHandler {
  constructor(
    private readonly checkpoints: AuditCheckpoints,
    private readonly keys: AuditKeys,
  ) {}

  async run(): Promise<string> {
    if (!this.keys.configured) return 'skipped: AUDIT_SIGNING_KEY is not set';
    const latest = await this.checkpoints.latest();
    if (latest && (await this.checkpoints.rootNow()) === latest.checkpoint.root) return `unchanged since position ${latest.checkpoint.position}`;
    const created = await this.checkpoints.create(systemContext('audit-checkpoint'));
    return `checkpoint at position ${created.signed.checkpoint.position}: ${created.signed.checkpoint.streams} streams`;
  }
}
