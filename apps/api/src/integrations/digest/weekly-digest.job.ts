import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { ScheduledJob, type JobContext, type JobHandler } from '../../operations/jobs/scheduled-job.js';
import { OutboxWriter } from '../mail/outbox-writer.js';
import { isoWeekOf } from './iso-week.js';
import { WeeklyDigestContent } from './weekly-digest-content.js';

export const WEEKLY_DIGEST_JOB = 'weekly-digest';
const PERIOD_MS = 7 * 24 * 3600_000;

/**
 * Mondays 07:00 UTC: one digest per rider who opted in (users.email_preferences.weeklyDigest),
 * covering the seven days before the run. The outbox dedupe key holds the ISO week of the run, so
 * a re-run (a retry after a crash, an operator's runNow) sends nobody a second digest that week.
 */
@ScheduledJob({ name: WEEKLY_DIGEST_JOB, cron: '0 0 7 * * 1', description: 'enqueues the weekly digest for riders who opted in' })
@Injectable()
export class WeeklyDigestJob implements JobHandler {
  private readonly logger = new Logger('WeeklyDigest');

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly content: WeeklyDigestContent,
    private readonly outbox: OutboxWriter,
  ) {}

  async run({ startedAt }: JobContext): Promise<string> {
    const week = isoWeekOf(startedAt);
    const from = new Date(startedAt.getTime() - PERIOD_MS);
    const riders: string[] = await this.knex('users')
      .whereNull('erased_at')
      .whereRaw(`(email_preferences->>'weeklyDigest')::boolean IS TRUE`)
      .orderBy('id')
      .pluck('id');
    let enqueued = 0;
    let already = 0;
    for (const userId of riders) {
      const data = await this.content.forUser(userId, from, startedAt);
      const id = await this.knex.transaction((trx) =>
        this.outbox.enqueue(trx, { kind: 'weekly-digest', to: { userId }, data, dedupeKey: `weekly-digest:${userId}:${week}` }),
      );
      if (id) enqueued++;
      else already++;
    }
    this.logger.log({ week, riders: riders.length, enqueued, already }, 'weekly digest enqueued');
    return `${week}: ${enqueued} digests enqueued, ${already} already sent this week, ${riders.length} riders opted in`;
  }
}
