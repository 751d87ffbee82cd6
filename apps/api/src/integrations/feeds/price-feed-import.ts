import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, NotFound, retailerDecider, retailerStream } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { systemContext, type CommandContext } from '../../commands/shell/command-context.js';
import { StreamCommands } from '../../commands/shell/stream-commands.js';
import { KNEX } from '../../infrastructure/tokens.js';
import { IntegrationCallFailed } from '../resilience/integration-call-failed.js';
import { describeError, IntegrationErrors } from '../resilience/integration-errors.js';
import { ObservePriceCommand, type ObservePriceResult, type PriceObservation } from '../../commands/prices/observe-price.command.js';
import { checkFeedRow, type CheckedOffer } from './feed-row-check.js';
import { RETAILER_FEEDS, type RetailerFeed } from './retailer-feed.port.js';
import { PART_PRICES } from '@mpp/projections';

export const PRICE_UPDATE_JOB = 'price-update';

export interface FeedImportResult {
  retailerId: string;
  adapter: string;
  outcome: 'ok' | 'failed';
  /** Rows the feed listed. */
  rows: number;
  /** New PriceObserved events. */
  recorded: number;
  /** Observations this hour already had (a re-run): nothing appended. */
  unchanged: number;
  /** Rows the feed itself marks out of stock. */
  outOfStock: number;
  /** Offers in stock at the last run that the feed no longer lists, recorded as out of stock. */
  delisted: number;
  /** Rows that failed the checks (see feed-row-check.ts) or the domain's validation. */
  rejected: number;
  /** Rows naming a part the catalog does not have. */
  unknownParts: number;
  error?: string;
}

/** Commands per feed in flight at once: distinct (part, retailer) streams, so they never conflict. */
const CONCURRENCY = 8;

/**
 * Turns every configured feed's rows into PriceObserved commands. Feeds are independent: one that
 * cannot be fetched (or whose retailer is unknown) is recorded in integration_errors and reported,
 * while the others' prices are recorded as usual. Re-running within the same UTC hour appends
 * nothing: each observation's event id is derived from (part, retailer, hour).
 */
@Injectable()
export class PriceFeedImport {
  private readonly logger = new Logger('PriceFeeds');

  constructor(
    @Inject(RETAILER_FEEDS) private readonly feeds: readonly RetailerFeed[],
    private readonly commands: CommandBus,
    private readonly streams: StreamCommands,
    private readonly errors: IntegrationErrors,
    @Inject(KNEX) private readonly knex: Knex,
  ) {}

  get feedCount(): number {
    return this.feeds.length;
  }

  async importAll(now: Date): Promise<FeedImportResult[]> {
    const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString();
    const context = systemContext(PRICE_UPDATE_JOB, now);
    return Promise.all(this.feeds.map((feed) => this.importFeed(feed, hour, context)));
  }

  private async importFeed(feed: RetailerFeed, hour: string, context: CommandContext): Promise<FeedImportResult> {
    const result: FeedImportResult = { retailerId: feed.retailerId, adapter: feed.adapter, outcome: 'ok', rows: 0, recorded: 0, unchanged: 0, outOfStock: 0, delisted: 0, rejected: 0, unknownParts: 0 };
    try {
      const retailer = await this.streams.load(retailerStream(feed.retailerId), retailerDecider);
      if (retailer.state.status !== 'registered') throw new NotFound('retailer', feed.retailerId);
      const baseUrl = retailer.state.retailer.baseUrl;
      const rows = await feed.fetchOffers();
      result.rows = rows.length;

      const offers = new Map<string, CheckedOffer>();
      for (const row of rows) {
        const verdict = checkFeedRow(row, baseUrl, context.now);
        // A part listed twice keeps its first row: feeds list variants after the main offer.
        if (verdict.ok) {
          if (!offers.has(verdict.offer.partId)) offers.set(verdict.offer.partId, verdict.offer);
        } else {
          result.rejected++;
          this.logger.debug({ retailerId: feed.retailerId, reason: verdict.reason }, 'feed row rejected');
        }
      }
      const observations: PriceObservation[] = [...offers.values()].map((offer) => ({
        partId: offer.partId,
        retailerId: feed.retailerId,
        priceCents: offer.priceCents,
        currency: offer.currency,
        inStock: offer.inStock,
        url: offer.url,
        observedAt: offer.observedAt ?? hour,
        source: `feed:${feed.adapter}`,
      }));
      result.outOfStock = observations.filter((o) => !o.inStock).length;
      // An empty feed is more likely a glitch at the retailer than a shop with nothing left to sell.
      const delisted = feed.listsWholeRange && offers.size > 0 ? await this.delistedOffers(feed, new Set(offers.keys()), hour) : [];
      result.delisted = delisted.length;

      await inPool([...observations, ...delisted], CONCURRENCY, async (observation) => {
        const outcome = await this.observe(observation, context);
        result[outcome]++;
      });
    } catch (error) {
      result.outcome = 'failed';
      result.error = describeError(error);
      // A failed fetch is already in integration_errors (the resilience helper records it); anything else is recorded here.
      if (!(error instanceof IntegrationCallFailed)) {
        await this.errors.record({ integration: 'retailer-feed', operation: 'import', payload: { retailerId: feed.retailerId, adapter: feed.adapter }, error });
      }
    }
    const { error: _error, ...counts } = result;
    if (result.outcome === 'failed') this.logger.error({ ...counts, error: result.error }, 'retailer feed failed; other feeds go on');
    else this.logger.log(counts, 'retailer feed imported');
    return result;
  }

  private async observe(observation: PriceObservation, context: CommandContext): Promise<'recorded' | 'unchanged' | 'rejected' | 'unknownParts'> {
    try {
      const outcome = await this.commands.execute<ObservePriceCommand, ObservePriceResult>(new ObservePriceCommand(observation, context));
      return outcome.recorded ? 'recorded' : 'unchanged';
    } catch (error) {
      if (error instanceof NotFound && error.entity === 'part') return 'unknownParts';
      if (error instanceof DomainError) {
        this.logger.warn({ retailerId: observation.retailerId, partId: observation.partId, error: error.message }, 'feed row refused by the domain');
        return 'rejected';
      }
      throw error;
    }
  }

  /**
   * Offers this retailer had in stock (current prices, read model) that the feed no longer lists:
   * the retailer stopped selling them, so they are recorded as out of stock at their last price.
   */
  private async delistedOffers(feed: RetailerFeed, listed: ReadonlySet<string>, hour: string): Promise<PriceObservation[]> {
    const current: { part_id: string; price_cents: string | number; currency: string; url: string }[] = await this.knex(PART_PRICES)
      .where({ retailer_id: feed.retailerId, in_stock: true })
      .where('observed_at', '<', hour)
      .select('part_id', 'price_cents', 'currency', 'url');
    return current
      .filter((row) => !listed.has(row.part_id))
      .map((row) => ({
        partId: row.part_id,
        retailerId: feed.retailerId,
        priceCents: Number(row.price_cents),
        currency: row.currency,
        inStock: false,
        url: row.url,
        observedAt: hour,
        source: `feed:${feed.adapter}`,
      }));
  }
}

/** Runs work over items, size at a time; after a failure no new item starts, and the first error is thrown once all have stopped. */
async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  if (failure) throw failure.error;
}
