/** DESIGN §4: a price older than 24 h is `stale`. */
export const PRICE_STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Exactly 24 h old is still fresh; one millisecond more is stale. */
export function isPriceStale(observedAt: string, now: string): boolean {
  const observed = Date.parse(observedAt);
  const current = Date.parse(now);
  if (Number.isNaN(observed) || Number.isNaN(current)) throw new RangeError(`not ISO-8601 instants: ${observedAt}, ${now}`);
  return current - observed > PRICE_STALE_AFTER_MS;
}
