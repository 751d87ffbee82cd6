/**
 * Thrown by a handler that cannot do its batch yet: the read model an indexer copies has not
 * reached the batch, or the store it writes to is unreachable. Nothing is wrong with the events, so
 * nothing is parked: the batch is rolled back (its checkpoint stays) and tried again after a
 * bounded backoff, and the reason shows as the generation's error until a batch succeeds.
 */
export class RetryLater extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'RetryLater';
  }
}

/** Pauses between tries of a batch that must wait: short at first, never longer than 5 s. */
export const RETRY_LATER_DELAYS_MS = [50, 100, 250, 500, 1000, 2000, 5000] as const;

export const retryLaterDelay = (attempt: number): number => RETRY_LATER_DELAYS_MS[Math.min(attempt, RETRY_LATER_DELAYS_MS.length - 1)];
