import type { PartPageOffer } from '@mpp/projections';
import { retailerPriceView } from '../../queries/read-models/read-model-views.js';

/** An offer as the projector stores it in JSON (part pages, listings' best offers). */
export type StoredOffer = PartPageOffer;

export function offerView(offer: StoredOffer, now: Date) {
  return retailerPriceView(
    { retailer_id: offer.retailerId, retailer_name: offer.retailerName, price_cents: offer.priceCents, currency: offer.currency, in_stock: offer.inStock, url: offer.url, observed_at: offer.observedAt },
    now,
  );
}

/** Each currency's best offer split into the rider's currency's and the others (by currency code, never by amount). */
export function offersApart<T extends { currency: string }>(bestPerCurrency: readonly T[], currency: string): { best: T | undefined; others: T[] } {
  return {
    best: bestPerCurrency.find((offer) => offer.currency === currency),
    others: bestPerCurrency.filter((offer) => offer.currency !== currency).sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)),
  };
}

/**
 * A part's offers in the order a rider reads them: the rider's currency first, then each other
 * currency by its code; within one currency in stock first, then cheapest, then retailer name.
 * Amounts are compared only within one currency.
 */
export function byCurrencyThenPrice(currency: string) {
  return (a: StoredOffer, b: StoredOffer): number =>
    Number(b.currency === currency) - Number(a.currency === currency) ||
    (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0) ||
    Number(b.inStock) - Number(a.inStock) ||
    a.priceCents - b.priceCents ||
    a.retailerName.localeCompare(b.retailerName);
}

/** The best offer in one currency: in stock first, then cheapest; undefined when none is in it. */
export function bestIn<T extends StoredOffer>(offers: readonly T[], currency: string): T | undefined {
  return [...offers].filter((offer) => offer.currency === currency).sort(byCurrencyThenPrice(currency))[0];
}
