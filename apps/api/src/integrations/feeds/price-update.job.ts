import { Injectable, Logger } from '@nestjs/common';
import { ScheduledJob, type JobContext, type JobHandler } from '../../operations/jobs/scheduled-job.js';
import { PRICE_UPDATE_JOB, PriceFeedImport } from './price-feed-import.js';

/**
 * Hourly, five minutes past (retailers regenerate feeds on the hour). A failing feed does not fail
 * the run: the run is `ok` with the failure in its detail and in integration_errors, because the
 * other retailers' prices were recorded; it fails only when every feed failed.
 */
@ScheduledJob({ name: PRICE_UPDATE_JOB, cron: '0 5 * * * *', description: 'imports retailer price feeds as price observations' })
@Injectable()
export class PriceUpdateJob implements JobHandler {
  private readonly logger = new Logger('PriceFeeds');

  constructor(private readonly feeds: PriceFeedImport) {}

  async run({ startedAt }: JobContext): Promise<string> {
    if (this.feeds.feedCount === 0) return 'no retailer feeds configured (RETAILER_FEEDS)';
    const results = await this.feeds.importAll(startedAt);
    const failed = results.filter((r) => r.outcome === 'failed');
    const sum = (key: 'recorded' | 'unchanged' | 'delisted' | 'rejected' | 'unknownParts') => results.reduce((n, r) => n + r[key], 0);
    const detail =
      `${results.length - failed.length} feeds ok, ${failed.length} failed` +
      `${failed.length > 0 ? ` (${failed.map((f) => f.retailerId).join(', ')})` : ''}; ` +
      `${sum('recorded')} prices recorded, ${sum('unchanged')} unchanged this hour, ${sum('delisted')} delisted, ` +
      `${sum('rejected')} rows rejected, ${sum('unknownParts')} unknown parts`;
    if (failed.length === results.length) throw new Error(`every retailer feed failed: ${detail}`);
    if (failed.length > 0) this.logger.warn({ failed: failed.length }, detail);
    return detail;
  }
}
