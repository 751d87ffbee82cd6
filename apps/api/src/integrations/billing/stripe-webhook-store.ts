import type { Knex } from '@mpp/db';
import { PRO_STATUSES, type SubscriptionChange } from './stripe-subscription-change.js';

/**
 * Claims a Stripe event id inside the caller's transaction. False means it was processed before:
 * the unique key makes a concurrent second delivery wait for the first and then see the conflict.
 */
export async function claimStripeEvent(trx: Knex.Transaction, eventId: string, eventType: string): Promise<boolean> {
  const rows = await trx('processed_webhooks')
    .insert({ provider: 'stripe', event_id: eventId, event_type: eventType })
    .onConflict(['provider', 'event_id'])
    .ignore()
    .returning('event_id');
  return rows.length === 1;
}

/**
 * Applies a change unless the subscription already holds a newer one (by Stripe's event `created`)
 * or has ended: `canceled` is final in Stripe, so nothing delivered later brings it back.
 * Returns whether the change was applied.
 */
export async function applySubscriptionChange(trx: Knex.Transaction, change: SubscriptionChange, eventId: string): Promise<boolean> {
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `INSERT INTO stripe_subscriptions (subscription_id, customer_id, status, last_event_created, last_event_id)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (subscription_id) DO UPDATE
       SET status = EXCLUDED.status, customer_id = EXCLUDED.customer_id, last_event_created = EXCLUDED.last_event_created,
           last_event_id = EXCLUDED.last_event_id, updated_at = now()
       WHERE stripe_subscriptions.status <> 'canceled'
         AND stripe_subscriptions.last_event_created <= EXCLUDED.last_event_created
     RETURNING subscription_id`,
    [change.subscriptionId, change.customerId, change.status, change.eventCreated, eventId],
  );
  return rows.length === 1;
}

/**
 * The user a Stripe customer belongs to. Checkout stores the customer id up front; a customer made
 * elsewhere (the dashboard) is linked through the userId the checkout put in the subscription metadata.
 */
export async function userForCustomer(trx: Knex.Transaction, customerId: string, userIdHint?: string): Promise<string | undefined> {
  const known = await trx('users').where({ stripe_customer_id: customerId }).first('id');
  if (known) return known.id as string;
  if (!userIdHint || !/^[0-9a-f-]{36}$/i.test(userIdHint)) return undefined;
  const [linked] = await trx('users')
    .where({ id: userIdHint })
    .whereNull('stripe_customer_id')
    .update({ stripe_customer_id: customerId })
    .returning('id');
  return linked?.id as string | undefined;
}

/** The plan follows the customer's subscriptions: Pro while any of them is in a paying status. */
export async function recomputePlan(trx: Knex.Transaction, customerId: string): Promise<'pro' | 'free' | undefined> {
  const { rows } = await trx.raw<{ rows: { plan: 'pro' | 'free' }[] }>(
    `UPDATE users SET plan = CASE WHEN EXISTS (
         SELECT 1 FROM stripe_subscriptions s WHERE s.customer_id = ? AND s.status = ANY(?)
       ) THEN 'pro' ELSE 'free' END
     WHERE stripe_customer_id = ?
     RETURNING plan`,
    [customerId, [...PRO_STATUSES], customerId],
  );
  return rows[0]?.plan;
}
