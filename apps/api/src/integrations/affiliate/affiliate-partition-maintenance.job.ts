import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { ScheduledJob, type JobHandler } from '../../operations/jobs/scheduled-job.js';
import { addMonths, ensureMonthlyPartition, monthStart, partitionNameFor } from './affiliate-partitions.js';

/** This month and the next ones: a missed day or two of the job never leaves a click without a partition. */
export const MONTHS_AHEAD = 3;

@ScheduledJob({ name: 'affiliate-partitions', cron: '0 15 3 * * *', description: `creates affiliate_clicks partitions ${MONTHS_AHEAD} months ahead` })
@Injectable()
export class AffiliatePartitionMaintenanceJob implements JobHandler {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async run(context: { startedAt: Date }): Promise<string> {
    const created: string[] = [];
    const first = monthStart(context.startedAt);
    for (let offset = 0; offset <= MONTHS_AHEAD; offset += 1) {
      const month = addMonths(first, offset);
      if (await ensureMonthlyPartition(this.knex, month)) created.push(partitionNameFor(month));
    }
    return created.length ? `created ${created.join(', ')}` : 'all partitions present';
  }
}
