import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { AppConfig } from '@mpp/config';
import { resolveRegion } from '@mpp/domain';
import { APP_CONFIG } from '../../infrastructure/tokens.js';
import { Resilience, type IntegrationCaller } from '../resilience/resilience.js';
import { isTransientStripeError, STRIPE } from './stripe-client.js';

export interface PlanAmount {
  amountCents: number;
  currency: string;
}

export type PlanPriceSource = 'stripe' | 'configured' | 'none';

export interface ProPlanPrice {
  plan: 'pro';
  region: string;
  /** The rider's currency (the region's). */
  currency: string;
  interval: 'month';
  /** The monthly price in the rider's currency; null when the plan is not offered in it. */
  price: PlanAmount | null;
  /** The plan's prices in other currencies: shown apart, never compared with the rider's. */
  otherPrices: PlanAmount[];
  /** Where the amounts come from: the Stripe price, PRO_DISPLAY_PRICES, or nowhere. */
  source: PlanPriceSource;
}

// Long enough that the Pro page never waits on Stripe, short enough that a price change shows the same hour.
const STRIPE_PRICE_TTL_MS = 10 * 60_000;
// After a failure the fallback is served this long before Stripe is asked again.
const STRIPE_FAILURE_TTL_MS = 60_000;

/**
 * The Pro plan's price as the rider should see it before paying: from the Stripe price checkout
 * charges (its own currency plus its `currency_options`), else from PRO_DISPLAY_PRICES (the demo and
 * a server without Stripe), else none. Stripe is asked at most once per TTL, never per page view.
 */
@Injectable()
export class ProPlanPrices {
  private readonly logger = new Logger(ProPlanPrices.name);
  private readonly caller: IntegrationCaller;
  private cached: { amounts: PlanAmount[] | undefined; until: number } | undefined;

  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    resilience: Resilience,
  ) {
    this.caller = resilience.for('stripe', { timeoutMs: 5_000 });
  }

  async forRegion(code: string | undefined, now = Date.now()): Promise<ProPlanPrice> {
    const region = resolveRegion(code);
    const fromStripe = await this.stripeAmounts(now);
    const configured = parseDisplayPrices(this.config.PRO_DISPLAY_PRICES);
    const [amounts, source]: [PlanAmount[], PlanPriceSource] = fromStripe
      ? [fromStripe, 'stripe']
      : configured.length > 0
        ? [configured, 'configured']
        : [[], 'none'];
    return {
      plan: 'pro',
      region: region.code,
      currency: region.currency,
      interval: 'month',
      price: amounts.find((amount) => amount.currency === region.currency) ?? null,
      otherPrices: amounts.filter((amount) => amount.currency !== region.currency),
      source,
    };
  }

  private async stripeAmounts(now: number): Promise<PlanAmount[] | undefined> {
    const priceId = this.config.STRIPE_PRICE_ID;
    if (!this.stripe || !priceId) return undefined;
    if (this.cached && this.cached.until > now) return this.cached.amounts;
    const stripe = this.stripe;
    try {
      const price = await this.caller.call('prices.retrieve', () => stripe.prices.retrieve(priceId, { expand: ['currency_options'] }), {
        payload: { priceId },
        isTransient: isTransientStripeError,
      });
      const amounts = stripePriceAmounts(price);
      this.cached = { amounts, until: now + STRIPE_PRICE_TTL_MS };
      return amounts;
    } catch (error) {
      // The failure is already in integration_errors; the page falls back rather than failing.
      this.logger.warn(`Pro price from Stripe unavailable, falling back: ${(error as Error).message}`);
      this.cached = { amounts: undefined, until: now + STRIPE_FAILURE_TTL_MS };
      return undefined;
    }
  }
}

/** The price's own currency first, then each of its currency options; amounts Stripe leaves blank are skipped. */
export function stripePriceAmounts(price: Pick<Stripe.Price, 'currency' | 'unit_amount' | 'currency_options'>): PlanAmount[] {
  const amounts: PlanAmount[] = [];
  if (price.unit_amount !== null) amounts.push({ amountCents: price.unit_amount, currency: price.currency.toUpperCase() });
  for (const [currency, option] of Object.entries(price.currency_options ?? {})) {
    const upper = currency.toUpperCase();
    if (option.unit_amount !== null && !amounts.some((amount) => amount.currency === upper)) amounts.push({ amountCents: option.unit_amount, currency: upper });
  }
  return amounts;
}

/** `USD:499,GBP:449` (validated at start-up) as amounts; the first entry for a currency wins. */
export function parseDisplayPrices(value: string | undefined): PlanAmount[] {
  const amounts: PlanAmount[] = [];
  for (const entry of (value ?? '').split(',').filter(Boolean)) {
    const [currency, amount] = entry.split(':');
    if (!amounts.some((known) => known.currency === currency)) amounts.push({ amountCents: Number(amount), currency: currency! });
  }
  return amounts;
}
