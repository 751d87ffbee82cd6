import { Injectable } from '@nestjs/common';
import { ScheduledJob, type JobHandler } from '../jobs/scheduled-job.js';
import { AuditWitnessDeliveries } from './audit-witness-deliveries.js';

@ScheduledJob({ name: 'audit-witness', cron: '*/15 * * * * *', description: 'POSTs queued signed checkpoints to AUDIT_WITNESS_URL, with retries' })
@Injectable()
export class AuditWitnessJob implements JobHandler {
  constructor(private readonly deliveries: AuditWitnessDeliveries) {}

  async run(): Promise<string> {
    if (!this.deliveries.configured) return 'skipped: AUDIT_WITNESS_URL is not set';
    const r = await this.deliveries.deliverDue();
    return `${r.due} due: ${r.delivered} delivered, ${r.retrying} retrying, ${r.failed} failed`;
  }
}
