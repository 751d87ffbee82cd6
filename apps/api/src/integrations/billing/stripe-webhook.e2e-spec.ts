import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import Stripe from 'stripe';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { signIn } from '../../testing/sign-in.js';

const WEBHOOK_SECRET = 'whsec_test_motopartpicker';

interface Customer {
  userId: string;
  customerId: string;
}

describe('Stripe webhooks', () => {
  let api: ApiUnderTest;
  let customers = 0;

  beforeAll(async () => {
    api = await startApiUnderTest({ STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  });
  afterAll(() => api.close());

  /** A signed-in rider whose checkout already stored their Stripe customer id. */
  async function customer(): Promise<Customer> {
    customers += 1;
    const { userId } = await signIn(api.app, `payer${customers}@example.com`);
    const customerId = `cus_test_${customers}`;
    await api.db.knex('users').where({ id: userId }).update({ stripe_customer_id: customerId });
    return { userId, customerId };
  }

  const planOf = async (userId: string) => (await api.db.knex('users').where({ id: userId }).first('plan')).plan as string;

  function event(id: string, type: string, created: number, object: Record<string, unknown>): string {
    return JSON.stringify({ id, object: 'event', type, created, api_version: Stripe.API_VERSION, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object } });
  }
  const subscription = (c: Customer, status: string, id = `sub_${c.customerId}`) => ({ id, object: 'subscription', customer: c.customerId, status, metadata: { userId: c.userId } });
  const invoice = (c: Customer, id = `in_${c.customerId}`) => ({
    id,
    object: 'invoice',
    customer: c.customerId,
    parent: { type: 'subscription_details', subscription_details: { subscription: `sub_${c.customerId}`, metadata: { userId: c.userId } } },
  });

  function deliver(payload: string, secret = WEBHOOK_SECRET) {
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    return request(api.app.getHttpServer()).post('/api/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(payload);
  }

  it('makes the rider Pro when a correctly signed invoice.paid arrives, without a session or CSRF token', async () => {
    const c = await customer();
    const res = await deliver(event('evt_paid_1', 'invoice.paid', 1_800_000_000, invoice(c))).expect(200);
    expect(res.body).toEqual({ received: true, outcome: 'applied' });
    expect(await planOf(c.userId)).toBe('pro');
  });

  it('rejects a bad signature with a 400 problem and changes nothing', async () => {
    const c = await customer();
    const payload = event('evt_forged_1', 'invoice.paid', 1_800_000_000, invoice(c));
    const wrongSecret = await deliver(payload, 'whsec_someone_else').expect(400);
    expect(wrongSecret.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrongSecret.body.detail).toMatch(/signature/i);

    // A payload changed after signing fails too: the signature covers the exact bytes.
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    await request(api.app.getHttpServer())
      .post('/api/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload.replace('invoice.paid', 'invoice.paid '))
      .expect(400);
    await request(api.app.getHttpServer()).post('/api/webhooks/stripe').set('Content-Type', 'application/json').send(payload).expect(400);

    expect(await planOf(c.userId)).toBe('free');
    expect(await api.db.knex('processed_webhooks').where({ event_id: 'evt_forged_1' })).toHaveLength(0);
    expect(await api.db.knex('stripe_subscriptions').where({ customer_id: c.customerId })).toHaveLength(0);
  });

  it('processes an event delivered twice only once', async () => {
    const c = await customer();
    const payload = event('evt_twice_1', 'customer.subscription.updated', 1_800_000_100, subscription(c, 'active'));
    expect((await deliver(payload).expect(200)).body.outcome).toBe('applied');
    expect((await deliver(payload).expect(200)).body.outcome).toBe('duplicate');
    expect(await api.db.knex('processed_webhooks').where({ provider: 'stripe', event_id: 'evt_twice_1' })).toHaveLength(1);
    expect(await planOf(c.userId)).toBe('pro');
  });

  it('processes an event once even when both deliveries arrive at the same moment', async () => {
    const c = await customer();
    const payload = event('evt_race_1', 'customer.subscription.updated', 1_800_000_100, subscription(c, 'active'));
    const outcomes = (await Promise.all([deliver(payload), deliver(payload), deliver(payload)])).map((r) => r.body.outcome).sort();
    expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate']);
  });

  it('turns the rider back to free when subscription.deleted follows subscription.updated', async () => {
    const c = await customer();
    await deliver(event('evt_upd_2', 'customer.subscription.updated', 1_800_000_100, subscription(c, 'active'))).expect(200);
    expect(await planOf(c.userId)).toBe('pro');
    await deliver(event('evt_del_2', 'customer.subscription.deleted', 1_800_000_200, subscription(c, 'canceled'))).expect(200);
    expect(await planOf(c.userId)).toBe('free');
  });

  it('does not resurrect Pro when an older subscription.updated arrives after subscription.deleted', async () => {
    const c = await customer();
    await deliver(event('evt_del_3', 'customer.subscription.deleted', 1_800_000_200, subscription(c, 'canceled'))).expect(200);
    const late = await deliver(event('evt_upd_3', 'customer.subscription.updated', 1_800_000_100, subscription(c, 'active'))).expect(200);
    expect(late.body.outcome).toBe('stale');
    expect(await planOf(c.userId)).toBe('free');
    // A late invoice.paid of the ended subscription does not bring it back either.
    await deliver(event('evt_paid_3', 'invoice.paid', 1_800_000_300, invoice(c))).expect(200);
    expect(await planOf(c.userId)).toBe('free');
  });

  it('ignores an older subscription.updated delivered after a newer one', async () => {
    const c = await customer();
    await deliver(event('evt_new_4', 'customer.subscription.updated', 1_800_000_200, subscription(c, 'unpaid'))).expect(200);
    const late = await deliver(event('evt_old_4', 'customer.subscription.updated', 1_800_000_100, subscription(c, 'active'))).expect(200);
    expect(late.body.outcome).toBe('stale');
    expect(await planOf(c.userId)).toBe('free');
  });

  it('keeps Pro while another subscription of the same customer is still active', async () => {
    const c = await customer();
    await deliver(event('evt_a_5', 'customer.subscription.updated', 1_800_000_100, subscription(c, 'active', 'sub_first_5'))).expect(200);
    await deliver(event('evt_b_5', 'customer.subscription.updated', 1_800_000_100, subscription(c, 'active', 'sub_second_5'))).expect(200);
    await deliver(event('evt_c_5', 'customer.subscription.deleted', 1_800_000_200, subscription(c, 'canceled', 'sub_first_5'))).expect(200);
    expect(await planOf(c.userId)).toBe('pro');
  });

  it('links a customer it has not seen through the userId the checkout put in the subscription metadata', async () => {
    const { userId } = await signIn(api.app, 'dashboard-made@example.com');
    const c = { userId, customerId: 'cus_made_in_dashboard' };
    await deliver(event('evt_link_6', 'customer.subscription.updated', 1_800_000_100, subscription(c, 'trialing'))).expect(200);
    expect(await planOf(userId)).toBe('pro');
    expect((await api.db.knex('users').where({ id: userId }).first('stripe_customer_id')).stripe_customer_id).toBe('cus_made_in_dashboard');
  });

  it('acknowledges event types it does not act on, once', async () => {
    const res = await deliver(event('evt_other_7', 'customer.created', 1_800_000_100, { id: 'cus_x', object: 'customer' })).expect(200);
    expect(res.body.outcome).toBe('ignored');
    expect(await api.db.knex('processed_webhooks').where({ event_id: 'evt_other_7' })).toHaveLength(1);
  });
});
