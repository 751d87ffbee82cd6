import { Injectable } from '@nestjs/common';
import { ScheduledJob, type JobHandler } from '../jobs/scheduled-job.js';
import { VERIFICATION_RECEIPTS, VerificationReceiptsReactor } from './verification-receipts.reactor.js';

/** Batches per run; a backlog bigger than this drains over the next ticks. */
const MAX_BATCHES = 25;

@ScheduledJob({ name: VERIFICATION_RECEIPTS, cron: '*/10 * * * * *', description: 'enqueues a receipt mail for each verification submitted' })
@Injectable()
export class VerificationReceiptsJob implements JobHandler {
  constructor(private readonly reactor: VerificationReceiptsReactor) {}

  async run(): Promise<string> {
    let events = 0;
    let mails = 0;
    let capped = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const progress = await this.reactor.processNextBatch();
      events += progress.events;
      mails += progress.mails;
      capped += progress.capped;
      if (progress.events === 0 || progress.lostRace) return `${mails} receipts for ${events} events${cappedNote(capped)}, up to position ${progress.position}`;
    }
    return `${mails} receipts for ${events} events${cappedNote(capped)}; more to do`;
  }
}

const cappedNote = (capped: number) => (capped > 0 ? ` (${capped} over the daily cap per rider, not sent)` : '');
