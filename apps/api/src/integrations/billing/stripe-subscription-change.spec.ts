import { describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { subscriptionChangeOf } from './stripe-subscription-change.js';

const event = (type: string, object: Record<string, unknown>, created = 1_800_000_000) => ({ id: 'evt_1', object: 'event', type, created, data: { object } }) as unknown as Stripe.Event;

describe('subscriptionChangeOf', () => {
  it('reads a subscription update with its status and the time Stripe created the event', () => {
    expect(subscriptionChangeOf(event('customer.subscription.updated', { id: 'sub_1', customer: 'cus_1', status: 'past_due', metadata: { userId: 'u-1' } }))).toEqual({
      subscriptionId: 'sub_1',
      customerId: 'cus_1',
      status: 'past_due',
      eventCreated: new Date(1_800_000_000_000),
      userIdHint: 'u-1',
    });
  });

  it('treats a deleted subscription as canceled whatever status its payload shows', () => {
    expect(subscriptionChangeOf(event('customer.subscription.deleted', { id: 'sub_1', customer: { id: 'cus_1' }, status: 'active', metadata: {} }))).toMatchObject({
      customerId: 'cus_1',
      status: 'canceled',
    });
  });

  it('reads a paid invoice as an active subscription, in the current and the older payload shape', () => {
    const current = { id: 'in_1', customer: 'cus_1', parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1', metadata: { userId: 'u-1' } } } };
    expect(subscriptionChangeOf(event('invoice.paid', current))).toMatchObject({ subscriptionId: 'sub_1', status: 'active', userIdHint: 'u-1' });
    expect(subscriptionChangeOf(event('invoice.paid', { id: 'in_2', customer: 'cus_1', subscription: 'sub_2' }))).toMatchObject({ subscriptionId: 'sub_2', status: 'active' });
  });

  it('ignores an invoice that belongs to no subscription, and event types that do not move a plan', () => {
    expect(subscriptionChangeOf(event('invoice.paid', { id: 'in_3', customer: 'cus_1', parent: null }))).toBeUndefined();
    expect(subscriptionChangeOf(event('customer.created', { id: 'cus_1' }))).toBeUndefined();
  });
});
