/**
 * Where the soak's latency tail comes from: every request timed by kind (route pattern) and by the
 * second of the run it finished in, so a p99 over all requests can be traced to a route (a slow
 * command, a read that misses the cache) or to a moment (a projector kill, a burst of invalidations).
 * autocannon reports one histogram for everything; this is the breakdown beside it.
 */
export interface LatencyStats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface KindLatency extends LatencyStats {
  kind: string;
  /** Share of all requests over the whole run's p99 that are of this kind. */
  shareOfTail: number;
}

export interface SecondLatency extends LatencyStats {
  second: number;
}

export class LatencyBreakdown {
  private readonly samples: { kind: string; second: number; ms: number }[] = [];

  constructor(private readonly startedAt: number) {}

  /** One finished request; `endedAt` on the same clock as the start given to the constructor. */
  record(kind: string, startedAt: number, endedAt: number): void {
    this.samples.push({ kind, second: Math.floor((endedAt - this.startedAt) / 1000), ms: endedAt - startedAt });
  }

  get overall(): LatencyStats {
    return stats(this.samples.map((s) => s.ms));
  }

  /** Slowest p99 first. */
  byKind(): KindLatency[] {
    const tailFrom = this.overall.p99;
    const tail = this.samples.filter((s) => s.ms >= tailFrom);
    return [...group(this.samples, (s) => s.kind)]
      .map(([kind, samples]) => ({
        kind,
        ...stats(samples.map((s) => s.ms)),
        shareOfTail: round(tail.filter((s) => s.kind === kind).length / Math.max(1, tail.length), 3),
      }))
      .sort((a, b) => b.p99 - a.p99);
  }

  /** The requests that finished in one second of the run, by kind, slowest p99 first. */
  kindsIn(second: number): (LatencyStats & { kind: string })[] {
    const samples = this.samples.filter((s) => s.second === second);
    return [...group(samples, (s) => s.kind)].map(([kind, of]) => ({ kind, ...stats(of.map((s) => s.ms)) })).sort((a, b) => b.p99 - a.p99);
  }

  /** In order of the run's seconds. */
  bySecond(): SecondLatency[] {
    return [...group(this.samples, (s) => s.second)].map(([second, samples]) => ({ second, ...stats(samples.map((s) => s.ms)) })).sort((a, b) => a.second - b.second);
  }
}

/**
 * A request's kind: its path with ids replaced and query values dropped, e.g.
 * `GET /api/parts/:id/compatibility?bikeId`, so every request of one route counts together.
 */
export function requestKind(method: string, path: string): string {
  const [pathname, query] = path.split('?', 2) as [string, string | undefined];
  const pattern = pathname.replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi, '/:id');
  const names = query === undefined ? [] : [...new URLSearchParams(query).keys()];
  return `${method} ${pattern}${names.length > 0 ? `?${names.join('&')}` : ''}`;
}

export function stats(values: readonly number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? 0 : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!, 1));
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

function group<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
