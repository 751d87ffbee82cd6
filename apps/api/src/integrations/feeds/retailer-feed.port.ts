/**
 * One offer as a retailer's feed states it. A row names the part by the catalog's SKU (what
 * retailers know) or by our part id; `observedAt` is optional because most feeds are snapshots
 * of "now": the price job then stamps the row with the hour it runs in.
 */
export interface FeedRow {
  sku?: string;
  partId?: string;
  priceCents: number;
  currency: string;
  inStock: boolean;
  url: string;
  observedAt?: string;
}

/** The port every retailer feed adapter implements (contract suite: retailer-feed.contract.ts). */
export interface RetailerFeed {
  /** The retailer the offers belong to (feeds never name the retailer per row). */
  readonly retailerId: string;
  /** `fixture`, `http-json` or `http-csv`: becomes the observation's source, `feed:<adapter>`. */
  readonly adapter: string;
  /**
   * The feed lists everything the retailer sells, so an offer missing from it was delisted (and is
   * recorded as out of stock). False for a sample, like the demo fixture, that must not wipe out
   * prices recorded by other means.
   */
  readonly listsWholeRange: boolean;
  /** Every offer the feed lists now. Throws when the feed cannot be read at all. */
  fetchOffers(signal?: AbortSignal): Promise<FeedRow[]>;
}

/** The feeds the price job reads, bound by FeedsModule from RETAILER_FEEDS. */
export const RETAILER_FEEDS = Symbol('RETAILER_FEEDS');
