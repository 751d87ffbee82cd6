import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { subscriptionChangeOf } from './stripe-subscription-change.js';
import { applySubscriptionChange, claimStripeEvent, recomputePlan, userForCustomer } from './stripe-webhook-store.js';

export type WebhookOutcome = 'duplicate' | 'ignored' | 'stale' | 'applied' | 'unknown-customer';

/**
 * Turns a verified Stripe event into a plan change. The event id, the subscription state and the
 * plan are written in one transaction: a crash leaves the event unclaimed, so Stripe's redelivery redoes it.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger('StripeWebhooks');

  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async handle(event: Stripe.Event): Promise<WebhookOutcome> {
    const outcome = await this.knex.transaction(async (trx) => {
      if (!(await claimStripeEvent(trx, event.id, event.type))) return 'duplicate' as const;
      const change = subscriptionChangeOf(event);
      if (!change) return 'ignored' as const;
      const userId = await userForCustomer(trx, change.customerId, change.userIdHint);
      if (!(await applySubscriptionChange(trx, change, event.id))) return 'stale' as const;
      if (!userId) return 'unknown-customer' as const;
      await recomputePlan(trx, change.customerId);
      return 'applied' as const;
    });
    const level = outcome === 'unknown-customer' ? 'warn' : 'log';
    this.logger[level]({ stripeEventId: event.id, type: event.type, outcome }, 'stripe webhook handled');
    return outcome;
  }
}
