import { isBrokenCircuitError, isTaskCancelledError } from 'cockatiel';

/**
 * An outbound call that failed for good: retries exhausted, a non-transient error, or an open circuit.
 * Callers decide what the user sees (a 503 for checkout, a rescheduled attempt for the outbox).
 */
export class IntegrationCallFailed extends Error {
  readonly circuitOpen: boolean;
  readonly timedOut: boolean;

  constructor(
    readonly integration: string,
    readonly operation: string,
    readonly transient: boolean,
    cause: unknown,
  ) {
    super(`${integration} ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'IntegrationCallFailed';
    this.circuitOpen = isBrokenCircuitError(cause);
    this.timedOut = isTaskCancelledError(cause);
  }
}
