import { randomUUID } from 'node:crypto';
import { BadGatewayException, ConflictException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type Stripe from 'stripe';
import type { AppConfig } from '@mpp/config';
import type { Knex } from '@mpp/db';
import type { User } from '../../auth/users.repository.js';
import { APP_CONFIG, KNEX } from '../../infrastructure/tokens.js';
import { IntegrationCallFailed } from '../resilience/integration-call-failed.js';
import { Resilience, type IntegrationCaller } from '../resilience/resilience.js';
import { isTransientStripeError, STRIPE } from './stripe-client.js';

/** Stripe Checkout for the Pro plan and the billing portal; the plan itself changes only by webhook. */
@Injectable()
export class BillingService {
  private readonly caller: IntegrationCaller;

  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KNEX) private readonly knex: Knex,
    resilience: Resilience,
  ) {
    this.caller = resilience.for('stripe', { timeoutMs: 10_000 });
  }

  async checkoutUrl(user: User): Promise<string> {
    const stripe = this.configured();
    const price = this.config.STRIPE_PRICE_ID;
    if (!price) throw new ServiceUnavailableException('Stripe Checkout is not configured on this server (STRIPE_PRICE_ID).');
    if (user.plan === 'pro') throw new ConflictException('You are already on Pro; manage your subscription in the billing portal.');
    const customer = await this.customerOf(user.id, stripe);
    // One key for every attempt of this request: a retry after a lost response returns the same session.
    const idempotencyKey = `checkout-${user.id}-${randomUUID()}`;
    const session = await this.call('checkout.sessions.create', { userId: user.id }, () =>
      stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          customer,
          client_reference_id: user.id,
          line_items: [{ price, quantity: 1 }],
          metadata: { userId: user.id },
          subscription_data: { metadata: { userId: user.id } },
          success_url: this.link('/account?checkout=success'),
          cancel_url: this.link('/pro?checkout=cancelled'),
        },
        { idempotencyKey },
      ),
    );
    if (!session.url) throw new BadGatewayException('Stripe returned a checkout session without a URL.');
    return session.url;
  }

  async portalUrl(user: User): Promise<string> {
    const stripe = this.configured();
    const customer = await this.storedCustomer(user.id);
    if (!customer) throw new ConflictException('There is no billing account yet: subscribe to Pro first.');
    const idempotencyKey = `portal-${user.id}-${randomUUID()}`;
    const session = await this.call('billingPortal.sessions.create', { userId: user.id }, () =>
      stripe.billingPortal.sessions.create({ customer, return_url: this.link('/account') }, { idempotencyKey }),
    );
    return session.url;
  }

  private configured(): Stripe {
    if (!this.stripe) throw new ServiceUnavailableException('Billing is not configured on this server (STRIPE_SECRET_KEY).');
    return this.stripe;
  }

  /** The customer is made before checkout so that every later webhook finds its user by customer id. */
  private async customerOf(userId: string, stripe: Stripe): Promise<string> {
    const stored = await this.storedCustomer(userId);
    if (stored) return stored;
    const customer = await this.call('customers.create', { userId }, () =>
      stripe.customers.create({ metadata: { userId } }, { idempotencyKey: `customer-${userId}` }),
    );
    const [row] = await this.knex('users').where({ id: userId }).whereNull('stripe_customer_id').update({ stripe_customer_id: customer.id }).returning('stripe_customer_id');
    // A concurrent checkout of the same user stored its customer first (the idempotency key made it the same one).
    return (row?.stripe_customer_id as string | undefined) ?? (await this.storedCustomer(userId))!;
  }

  private async storedCustomer(userId: string): Promise<string | undefined> {
    const row = await this.knex('users').where({ id: userId }).first('stripe_customer_id');
    return (row?.stripe_customer_id as string | null) ?? undefined;
  }

  private async call<T>(operation: string, payload: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    try {
      return await this.caller.call(operation, work, { payload, isTransient: isTransientStripeError });
    } catch (error) {
      if (error instanceof IntegrationCallFailed) {
        if (error.transient) throw new ServiceUnavailableException('Stripe is not answering right now; please try again in a minute.', { cause: error });
        throw new BadGatewayException('Stripe refused the request; the problem has been recorded.', { cause: error });
      }
      throw error;
    }
  }

  private link(path: string): string {
    return new URL(path, this.config.PUBLIC_BASE_URL).toString();
  }
}
