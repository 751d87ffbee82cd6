export interface ObservePrice {
  type: 'ObservePrice';
  partId: string;
  retailerId: string;
  /** Positive integer, minor units of `currency`. */
  priceCents: number;
  /** ISO 4217, three upper-case letters. */
  currency: string;
  inStock: boolean;
  /** http(s) URL of the product page at the retailer. */
  url: string;
  /** When the retailer showed this price; ISO-8601 with an offset. */
  observedAt: string;
  /** `feed:<adapter>` or `admin`. */
  source: string;
  /** The handler's clock, only to refuse observations from the future. */
  now: string;
  partExists: boolean;
  retailerExists: boolean;
}

export type PriceCommand = ObservePrice;
