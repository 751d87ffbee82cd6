import type { FeedRow, RetailerFeed } from './retailer-feed.port.js';

/** Serves fixed offers (fixtures/demo-retailer-feeds.ts): the demo's retailers, and tests. */
export class FixtureRetailerFeed implements RetailerFeed {
  readonly adapter = 'fixture';
  // A handful of offers per retailer, beside the demo's seeded prices: not the retailer's whole range.
  readonly listsWholeRange = false;

  constructor(
    readonly retailerId: string,
    private readonly rows: readonly FeedRow[],
  ) {}

  async fetchOffers(): Promise<FeedRow[]> {
    // Copies, so a consumer that annotates rows cannot change the fixture for the next run.
    return this.rows.map((row) => ({ ...row }));
  }
}
