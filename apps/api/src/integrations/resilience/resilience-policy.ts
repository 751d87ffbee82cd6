import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
  type IRetryContext,
  type ICancellationContext,
} from 'cockatiel';

export interface ResilienceOptions {
  /** Per attempt; the signal handed to the call aborts when it elapses. */
  timeoutMs: number;
  /** Attempts after the first one, for errors judged transient. */
  retries: number;
  /** First backoff delay; later ones grow exponentially with decorrelated jitter up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Consecutive transient failures that open the circuit; while open, calls fail at once. */
  breakerThreshold: number;
  halfOpenAfterMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 10_000,
  retries: 2,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
};

/**
 * Marks an error the caller judged not worth retrying (a 4xx: bad input, bad key). It neither
 * retries nor counts against the circuit, which measures the health of the provider, not of our requests.
 */
export class NonTransientFailure extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'NonTransientFailure';
  }
}

export interface IntegrationPolicy {
  policy: IPolicy<IRetryContext & ICancellationContext>;
  breaker: CircuitBreakerPolicy;
}

/** retry( breaker( timeout( call ) ) ): each attempt has its own timeout and counts for the breaker. */
export function createIntegrationPolicy(options: ResilienceOptions): IntegrationPolicy {
  const transient = handleWhen((error) => !(error instanceof NonTransientFailure) && !isBrokenCircuitError(error));
  const retryPolicy = retry(transient, {
    maxAttempts: options.retries,
    backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs }),
  });
  const breaker = circuitBreaker(
    handleWhen((error) => !(error instanceof NonTransientFailure)),
    { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.breakerThreshold) },
  );
  const timeoutPolicy = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  return { policy: wrap(retryPolicy, breaker, timeoutPolicy) as IPolicy<IRetryContext & ICancellationContext>, breaker };
}
