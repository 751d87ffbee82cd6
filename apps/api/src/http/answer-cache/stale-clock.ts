import { isPriceStale, PRICE_STALE_AFTER_MS } from '@mpp/domain';

/**
 * A price turns stale by the clock alone, so an answer showing prices is only good until the first
 * of them turns; and two bodies of one version differ by how many have turned (the ETag variant).
 */
export function staleClock(observedAt: readonly (string | Date)[], now: Date): { validUntil: number; variant: string } {
  let stale = 0;
  let validUntil = Number.POSITIVE_INFINITY;
  for (const at of observedAt) {
    const iso = new Date(at).toISOString();
    if (isPriceStale(iso, now.toISOString())) stale += 1;
    else validUntil = Math.min(validUntil, new Date(at).getTime() + PRICE_STALE_AFTER_MS + 1);
  }
  return { validUntil, variant: `s${stale}` };
}
