import { describe, expect, it } from '@jest/globals';
import type { FeedRow, RetailerFeed } from './retailer-feed.port.js';

/** The same offers, as each adapter's source would list them. */
export const CONTRACT_OFFERS: FeedRow[] = [
  { sku: 'FA252HH', priceCents: 4499, currency: 'EUR', inStock: true, url: 'https://www.louis.de/p/fa252hh' },
  { sku: 'S-Y7SO3-HAPC', priceCents: 91999, currency: 'EUR', inStock: false, url: 'https://www.louis.de/p/s-y7so3-hapc', observedAt: '2026-03-10T09:00:00.000Z' },
  { partId: '6f1c3c36-7d4e-5a8b-9c0d-1e2f3a4b5c6d', priceCents: 1299, currency: 'EUR', inStock: true, url: 'https://www.louis.de/p/plug' },
];

export interface FeedUnderContract {
  /** A feed of the given retailer whose source lists `offers`. */
  feedListing(retailerId: string, offers: readonly FeedRow[]): Promise<RetailerFeed>;
}

/** What every RetailerFeed adapter must do; each adapter's test runs it with its own source. */
export function retailerFeedContract(adapter: string, subject: () => FeedUnderContract): void {
  describe(`RetailerFeed contract: ${adapter}`, () => {
    const retailerId = '0b5d6a7e-1f2a-5b3c-8d4e-5f6a7b8c9d0e';

    it('lists every offer of the source, with its fields as given', async () => {
      const feed = await subject().feedListing(retailerId, CONTRACT_OFFERS);
      expect(feed.retailerId).toBe(retailerId);
      expect(await feed.fetchOffers()).toEqual(CONTRACT_OFFERS);
    });

    it('answers each fetch afresh: what a consumer does to the rows does not change the next fetch', async () => {
      const feed = await subject().feedListing(retailerId, CONTRACT_OFFERS);
      const first = await feed.fetchOffers();
      first[0]!.priceCents = 1;
      expect((await feed.fetchOffers())[0]!.priceCents).toBe(4499);
    });

    it('lists nothing for a source without offers', async () => {
      const feed = await subject().feedListing(retailerId, []);
      expect(await feed.fetchOffers()).toEqual([]);
    });
  });
}
