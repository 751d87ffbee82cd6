import { Injectable } from '@nestjs/common';
import { ScheduledJob, type JobHandler } from '../../operations/jobs/scheduled-job.js';
import { OutboxSender } from './outbox-sender.js';

@ScheduledJob({ name: 'outbox-sender', cron: '*/10 * * * * *', description: 'delivers due mails from email_outbox' })
@Injectable()
export class OutboxSenderJob implements JobHandler {
  constructor(private readonly sender: OutboxSender) {}

  async run(): Promise<string> {
    const r = await this.sender.sendDue();
    return `claimed ${r.claimed}: sent ${r.sent}, logged ${r.logged}, retrying ${r.retrying}, failed ${r.failed}`;
  }
}
