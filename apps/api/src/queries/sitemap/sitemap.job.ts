import { Injectable } from '@nestjs/common';
import { ScheduledJob, type JobContext, type JobHandler } from '../../operations/jobs/scheduled-job.js';
import { SitemapGenerator } from './sitemap-generator.js';

export const SITEMAP_JOB = 'sitemap';

@ScheduledJob({ name: SITEMAP_JOB, cron: '0 0 4 * * *', description: 'writes sitemap.xml: static pages, every bike and every part' })
@Injectable()
export class SitemapJob implements JobHandler {
  constructor(private readonly generator: SitemapGenerator) {}

  async run({ startedAt }: JobContext): Promise<string> {
    const { urls, files } = await this.generator.generate(startedAt);
    return `${urls} URLs in ${files} file${files === 1 ? '' : 's'}`;
  }
}
