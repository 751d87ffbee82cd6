/**
 * How long a lease lives, from how long its renewals take. A lease shorter than a few renewal
 * round trips expires on a busy machine while its holder is still alive and renewing: the others
 * take it between batches and the work moves back and forth instead of going on. So the TTL is at
 * least `factor` times the slowest recent round trip (the 99th percentile of the last `window`),
 * never below the configured TTL (a quiet machine moves a dead holder's work as fast as before)
 * and never above `maxTtlMs` (a dead holder's work still moves within a known bound).
 */
export class RenewalLatency {
  private readonly samples: number[] = [];

  constructor(private readonly bounds: { baseTtlMs: number; maxTtlMs: number; factor?: number; window?: number }) {
    if (bounds.maxTtlMs < bounds.baseTtlMs) throw new Error('the longest lease TTL must be at least the base TTL');
  }

  record(roundTripMs: number): void {
    this.samples.push(roundTripMs);
    if (this.samples.length > (this.bounds.window ?? 100)) this.samples.shift();
  }

  /** The 99th percentile of the recent round trips: below 100 samples, the slowest; 0 before any. */
  p99(): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.ceil(0.99 * sorted.length) - 1]!;
  }

  ttlMs(): number {
    const wanted = Math.ceil((this.bounds.factor ?? 3) * this.p99());
    return Math.min(this.bounds.maxTtlMs, Math.max(this.bounds.baseTtlMs, wanted));
  }
}
