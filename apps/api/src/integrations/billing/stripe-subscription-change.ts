import type Stripe from 'stripe';

/** Statuses in which the rider keeps Pro; Stripe retries a failed renewal while `past_due`. */
export const PRO_STATUSES = ['active', 'trialing', 'past_due'] as const;

export const HANDLED_EVENT_TYPES = ['invoice.paid', 'customer.subscription.updated', 'customer.subscription.deleted'] as const;

/** What one Stripe event says about one subscription, reduced to what the plan depends on. */
export interface SubscriptionChange {
  subscriptionId: string;
  customerId: string;
  status: string;
  /** Stripe's `created` of the event: events arrive in any order, this says which is newer. */
  eventCreated: Date;
  /** The user id the checkout put in the subscription's metadata; links an unknown customer. */
  userIdHint?: string;
}

const idOf = (value: string | { id: string } | null | undefined): string | undefined =>
  typeof value === 'string' ? value : value && typeof value.id === 'string' ? value.id : undefined;

/**
 * Reads the plan-relevant change out of an event, or undefined for events that do not move a plan
 * (other types, one-off invoices without a subscription). Pure: no I/O.
 */
export function subscriptionChangeOf(event: Stripe.Event): SubscriptionChange | undefined {
  const eventCreated = new Date(event.created * 1000);
  switch (event.type) {
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = event.data.object;
      const customerId = idOf(subscription.customer as string | { id: string });
      if (!customerId) return undefined;
      return {
        subscriptionId: subscription.id,
        customerId,
        // A deleted subscription is over whatever status the payload carries.
        status: event.type === 'customer.subscription.deleted' ? 'canceled' : subscription.status,
        eventCreated,
        userIdHint: subscription.metadata?.['userId'],
      };
    }
    case 'invoice.paid': {
      const invoice = event.data.object;
      const customerId = idOf(invoice.customer as string | { id: string } | null);
      const details = invoice.parent?.subscription_details;
      // Payloads of older API versions carry the subscription at the top level.
      const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
      const subscriptionId = idOf(details?.subscription as string | { id: string } | undefined) ?? idOf(legacy);
      if (!customerId || !subscriptionId) return undefined;
      return { subscriptionId, customerId, status: 'active', eventCreated, userIdHint: details?.metadata?.['userId'] };
    }
    default:
      return undefined;
  }
}
