import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { ScheduledJob, type JobContext, type JobHandler } from '../jobs/scheduled-job.js';
import { DATA_QUALITY_CHECKS, FINDING_KINDS, MAX_FINDINGS_PER_KIND, type Finding, type FindingKind } from './data-quality-checks.js';
import { DataQualityRunsRepository } from './data-quality-runs.repository.js';

export const DATA_QUALITY_JOB = 'data-quality-check';
const KEEP_DAYS = 30;

/** Daily: stale prices, orphan rows and low-confidence fitment, into data_quality_findings and the logs. */
@ScheduledJob({ name: DATA_QUALITY_JOB, cron: '0 30 4 * * *', description: 'finds stale prices, orphan records and low-confidence verifications' })
@Injectable()
export class DataQualityCheckJob implements JobHandler {
  private readonly logger = new Logger('DataQuality');

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly runs: DataQualityRunsRepository,
  ) {}

  async run({ startedAt }: JobContext): Promise<string> {
    const findings: Finding[] = [];
    const counts: Partial<Record<FindingKind, number>> = {};
    for (const kind of FINDING_KINDS) {
      const found = await DATA_QUALITY_CHECKS[kind](this.knex, startedAt);
      counts[kind] = found.length;
      findings.push(...found);
      if (found.length >= MAX_FINDINGS_PER_KIND) this.logger.warn({ kind, cap: MAX_FINDINGS_PER_KIND }, 'data-quality findings capped');
    }
    const runId = randomUUID();
    await this.runs.save({ id: runId, startedAt, finishedAt: new Date(), counts }, findings);
    await this.runs.deleteOlderThan(new Date(startedAt.getTime() - KEEP_DAYS * 24 * 3600_000));
    // One line per run with the counts, and one per finding at debug: ids only, so the logs can carry them.
    this.logger.log({ runId, counts }, 'data-quality check finished');
    for (const finding of findings) this.logger.debug({ runId, ...finding }, 'data-quality finding');
    return `run ${runId}: ${FINDING_KINDS.map((k) => `${counts[k]} ${k}`).join(', ')}`;
  }
}
