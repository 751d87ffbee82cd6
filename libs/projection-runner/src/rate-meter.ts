/** Events per second over a sliding window of recent batches. */
export class RateMeter {
  private samples: { at: number; count: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  record(count: number, at = Date.now()): void {
    this.samples.push({ at, count });
    this.samples = this.samples.filter((s) => at - s.at <= this.windowMs);
  }

  perSecond(now = Date.now()): number {
    const recent = this.samples.filter((s) => now - s.at <= this.windowMs);
    if (recent.length === 0) return 0;
    const span = Math.max(now - recent[0].at, 1000);
    return Math.round((recent.reduce((sum, s) => sum + s.count, 0) * 1000) / span);
  }
}
