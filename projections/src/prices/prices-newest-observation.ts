export interface OfferObservation {
  partId: string;
  retailerId: string;
  observedAt: Date;
}

/**
 * Of a batch's observations, the one per (part, retailer) that could become the current price: the
 * newest by `observedAt`, and among equally new ones the first to arrive, as one observation at a
 * time keeps the held price unless the next one is strictly newer. Whether it beats the stored
 * price is the upsert's to decide by the same rule, which composes: the newest of the newest.
 */
export function newestPerOffer<T extends OfferObservation>(observations: readonly T[]): T[] {
  const newest = new Map<string, T>();
  for (const observation of observations) {
    // Ids compared as PostgreSQL compares uuids.
    const key = `${observation.partId.toLowerCase()} ${observation.retailerId.toLowerCase()}`;
    const held = newest.get(key);
    if (held === undefined || held.observedAt.getTime() < observation.observedAt.getTime()) newest.set(key, observation);
  }
  return [...newest.values()];
}
