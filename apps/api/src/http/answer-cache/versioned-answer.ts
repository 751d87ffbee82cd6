/**
 * What a cacheable query handler returns: the body, the read-model keys it was derived from, and
 * the version of those keys read in the same snapshot as its rows. The answer interceptor turns it
 * into a response with a strong ETag and keeps it until one of its keys changes.
 */
export class VersionedAnswer<T = unknown> {
  constructor(
    readonly body: T,
    readonly label: {
      /** Read-model keys (`bike:<id>`, `part:<id>`, `catalog`, `generation:<projection>`, ...): a change to any evicts the answer. */
      keys: readonly string[];
      /** Position of the last event that changed those keys, as read with the rows. */
      version: string;
      /** When the clock alone changes the body (a price turning stale); the answer is recomputed after it. */
      validUntil?: number;
      /** Distinguishes bodies of one version that differ by the clock (how many prices are stale). */
      variant?: string;
    },
  ) {}
}

const GENERATION = 'generation:';

/** Evicted from every cache when the projection's serving generation changes (blue/green switch). */
export const generationKey = (projection: string): string => `${GENERATION}${projection}`;

/** The projections whose serving generation an answer's keys name. */
export const generationsNamed = (keys: readonly string[]): string[] => keys.filter((key) => key.startsWith(GENERATION)).map((key) => key.slice(GENERATION.length));
/** Evicted on every batch the projection commits: for answers read from a projection without per-key versions. */
export const projectionKey = (projection: string): string => `projection:${projection}`;
