import { RetailerPrice } from '../core/api/api-types';

export interface CurrencyOffers {
  currency: string;
  /** In stock and fresh first, cheapest first; stale next; out of stock last. */
  offers: RetailerPrice[];
  /** The cheapest offer a rider can buy now, or null: an out-of-stock offer is never the best price. */
  best: RetailerPrice | null;
}

/** Stock first, then freshness, then amount: amounts are only ever compared within one currency. */
function offerOrder(a: RetailerPrice, b: RetailerPrice): number {
  return Number(!a.inStock) - Number(!b.inStock) || Number(a.stale) - Number(b.stale) || a.priceCents - b.priceCents;
}

/**
 * Offers split by currency, the rider's currency first and the others after it in code order:
 * two currencies are never ranked against each other.
 */
export function offersByCurrency(prices: readonly RetailerPrice[], riderCurrency: string): CurrencyOffers[] {
  const groups = new Map<string, RetailerPrice[]>();
  for (const price of prices) groups.set(price.currency, [...(groups.get(price.currency) ?? []), price]);
  return [...groups]
    .sort(([a], [b]) => Number(b === riderCurrency) - Number(a === riderCurrency) || a.localeCompare(b))
    .map(([currency, offers]) => {
      const sorted = [...offers].sort(offerOrder);
      return { currency, offers: sorted, best: sorted.find((offer) => offer.inStock) ?? null };
    });
}
