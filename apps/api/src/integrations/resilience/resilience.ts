import { Inject, Injectable, Optional } from '@nestjs/common';
import { IntegrationCallFailed } from './integration-call-failed.js';
import { IntegrationErrors } from './integration-errors.js';
import { createIntegrationPolicy, DEFAULT_RESILIENCE, NonTransientFailure, type IntegrationPolicy, type ResilienceOptions } from './resilience-policy.js';

/** Overrides of the defaults for every integration (tests shorten delays; nothing else needs to). */
export const RESILIENCE_OPTIONS = Symbol('RESILIENCE_OPTIONS');

export interface CallOptions {
  /** Identifiers that help trace the call in integration_errors; redacted again before storing. */
  payload?: Record<string, unknown>;
  /** Whether an error is worth another attempt (network, timeouts, 429, 5xx). Default: every error. */
  isTransient?: (error: unknown) => boolean;
  /**
   * Write a final failure to integration_errors (default true). The outbox sender turns this off and
   * records once when it gives up on a mail, rather than once per scheduled attempt.
   */
  recordFailure?: boolean;
}

/** Calls one outside service with timeout, retries (exponential backoff, jitter) and a circuit breaker. */
export class IntegrationCaller {
  constructor(
    readonly integration: string,
    private readonly policy: IntegrationPolicy,
    private readonly errors: IntegrationErrors,
  ) {}

  get circuitState(): string {
    return String(this.policy.breaker.state);
  }

  async call<T>(operation: string, work: (signal: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const isTransient = options.isTransient ?? (() => true);
    try {
      return await this.policy.policy.execute(async ({ signal }) => {
        try {
          return await work(signal);
        } catch (error) {
          throw isTransient(error) ? error : new NonTransientFailure(error);
        }
      });
    } catch (error) {
      const cause = error instanceof NonTransientFailure ? error.original : error;
      const failure = new IntegrationCallFailed(this.integration, operation, !(error instanceof NonTransientFailure), cause);
      if (options.recordFailure !== false) {
        await this.errors.record({ integration: this.integration, operation, payload: options.payload, error: failure });
      }
      throw failure;
    }
  }
}

/**
 * One caller per integration, shared by every use of it, so the circuit breaker sees all its traffic.
 */
@Injectable()
export class Resilience {
  private readonly callers = new Map<string, IntegrationCaller>();
  private readonly defaults: ResilienceOptions;

  constructor(
    private readonly errors: IntegrationErrors,
    @Optional() @Inject(RESILIENCE_OPTIONS) overrides?: Partial<ResilienceOptions>,
  ) {
    this.defaults = { ...DEFAULT_RESILIENCE, ...overrides };
  }

  for(integration: string, options: Partial<ResilienceOptions> = {}): IntegrationCaller {
    let caller = this.callers.get(integration);
    if (!caller) {
      caller = new IntegrationCaller(integration, createIntegrationPolicy({ ...this.defaults, ...options }), this.errors);
      this.callers.set(integration, caller);
    }
    return caller;
  }
}
