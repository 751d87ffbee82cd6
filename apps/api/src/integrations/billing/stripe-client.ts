import Stripe from 'stripe';
import type { AppConfig } from '@mpp/config';

export const STRIPE = Symbol('STRIPE');

/** The Stripe SDK's own request timeout, a little above the resilience helper's per-attempt timeout. */
const STRIPE_REQUEST_TIMEOUT_MS = 12_000;

/** Undefined without STRIPE_SECRET_KEY: billing routes answer 503 and the rest of the API works. */
export function createStripeClient(config: AppConfig): Stripe | undefined {
  if (!config.STRIPE_SECRET_KEY) return undefined;
  const base = config.STRIPE_API_BASE_URL ? new URL(config.STRIPE_API_BASE_URL) : undefined;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    // The resilience helper retries (with our idempotency keys); two retry layers would multiply attempts.
    maxNetworkRetries: 0,
    timeout: STRIPE_REQUEST_TIMEOUT_MS,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'http:' ? ('http' as const) : ('https' as const),
        }
      : {}),
  });
}

/** Network trouble, rate limits and Stripe's own 5xx are worth another try; a 4xx is our request's fault. */
export function isTransientStripeError(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeError)) return true;
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeRateLimitError) return true;
  if (error instanceof Stripe.errors.StripeAPIError) return true;
  const status = error.statusCode ?? 0;
  return status === 429 || status >= 500;
}
