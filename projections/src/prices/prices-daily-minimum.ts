/** One row of `price_history`: the lowest price a retailer asked for a part on one UTC day. */
export interface DailyMinimum {
  partId: string;
  retailerId: string;
  /** `YYYY-MM-DD`, the UTC date of the observations. */
  day: string;
  minPriceCents: number;
  currency: string;
  lastObservedAt: Date;
}

export interface ObservedPrice {
  partId: string;
  retailerId: string;
  priceCents: number;
  currency: string;
  observedAt: Date;
}

/** The UTC date of an instant, whatever offset the feed wrote it with. */
export const utcDay = (instant: Date): string => instant.toISOString().slice(0, 10);

/** Ids compared as PostgreSQL compares uuids (an upper-case id is the same part). */
export const dailyMinimumKey = (partId: string, retailerId: string, day: string): string => `${partId.toLowerCase()} ${retailerId.toLowerCase()} ${day}`;

/**
 * Within a day the lowest price is kept; should a retailer switch currency that day, the later
 * observation's currency restarts the day's minimum, since amounts in two currencies have no
 * minimum. An observation in the other currency that is not later than the newest one seen (a
 * back-fill from before the switch) is dropped.
 */
export function withObservation(day: DailyMinimum | undefined, price: ObservedPrice): DailyMinimum {
  const { partId, retailerId, priceCents, currency, observedAt } = price;
  if (day === undefined) return { partId, retailerId, day: utcDay(observedAt), minPriceCents: priceCents, currency, lastObservedAt: observedAt };
  const later = day.lastObservedAt.getTime() < observedAt.getTime();
  if (day.currency === currency) {
    return { ...day, minPriceCents: Math.min(day.minPriceCents, priceCents), lastObservedAt: later ? observedAt : day.lastObservedAt };
  }
  return later ? { ...day, minPriceCents: priceCents, currency, lastObservedAt: observedAt } : day;
}

/**
 * The days a batch of observations touches, each folded from its stored row (if any) through the
 * batch's observations of that day in log order. The stored rows are needed: the rule above does
 * not compose, so a batch's own minimum cannot be merged into a stored row afterwards (a stored
 * later EUR price, then a cheaper earlier EUR one and a USD one between the two: one at a time,
 * the cheaper EUR price lowers the stored minimum and the USD one is dropped; merged, the USD one
 * would have reset the batch's minimum and lost the EUR price).
 */
export function foldDailyMinimums(stored: readonly DailyMinimum[], observations: readonly ObservedPrice[]): DailyMinimum[] {
  const days = new Map(stored.map((row) => [dailyMinimumKey(row.partId, row.retailerId, row.day), row]));
  const touched = new Set<string>();
  for (const price of observations) {
    const key = dailyMinimumKey(price.partId, price.retailerId, utcDay(price.observedAt));
    days.set(key, withObservation(days.get(key), price));
    touched.add(key);
  }
  return [...touched].map((key) => days.get(key)!);
}
