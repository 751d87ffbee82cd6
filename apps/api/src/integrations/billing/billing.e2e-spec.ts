import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startHttpStandIn, type HttpStandIn, type ReceivedRequest, type StandInAnswer } from '../resilience/testing/http-stand-in.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { signIn } from '../../testing/sign-in.js';

describe('billing without Stripe keys', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api.close());

  it('answers checkout and portal with a 503 problem naming the missing key', async () => {
    const rider = await signIn(api.app, 'nokeys@example.com');
    for (const path of ['/api/billing/checkout', '/api/billing/portal']) {
      const res = await request(api.app.getHttpServer()).post(path).set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).expect(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toMatch(/STRIPE_SECRET_KEY/);
    }
  });

  it('shows no Pro price when neither Stripe nor PRO_DISPLAY_PRICES says one, and names a bad region', async () => {
    const res = await request(api.app.getHttpServer()).get('/api/billing/pro-price?region=GB').expect(200);
    expect(res.body).toEqual({ plan: 'pro', region: 'GB', currency: 'GBP', interval: 'month', price: null, otherPrices: [], source: 'none' });
    const bad = await request(api.app.getHttpServer()).get('/api/billing/pro-price?region=XX').expect(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(['region']);
  });

  it('answers the webhook with a 503 problem when no webhook secret is configured', async () => {
    const res = await request(api.app.getHttpServer()).post('/api/webhooks/stripe').set('Content-Type', 'application/json').send('{}').expect(503);
    expect(res.body.detail).toMatch(/STRIPE_WEBHOOK_SECRET/);
  });

  it('requires a signed-in user with the CSRF token', async () => {
    await request(api.app.getHttpServer()).post('/api/billing/checkout').expect(401);
    const rider = await signIn(api.app, 'nocsrf@example.com');
    await request(api.app.getHttpServer()).post('/api/billing/checkout').set('Cookie', rider.cookie).expect(403);
  });
});

describe('the Pro price without Stripe: PRO_DISPLAY_PRICES', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest({ PRO_DISPLAY_PRICES: 'USD:499,GBP:449,EUR:549' });
  });
  afterAll(() => api.close());

  it('answers in the region’s currency, with the other currencies apart', async () => {
    const gb = await request(api.app.getHttpServer()).get('/api/billing/pro-price?region=GB').expect(200);
    expect(gb.body).toEqual({
      plan: 'pro', region: 'GB', currency: 'GBP', interval: 'month', source: 'configured',
      price: { amountCents: 449, currency: 'GBP' },
      otherPrices: [{ amountCents: 499, currency: 'USD' }, { amountCents: 549, currency: 'EUR' }],
    });
    expect(gb.headers['cache-control']).toBe('public, max-age=300');
    const us = await request(api.app.getHttpServer()).get('/api/billing/pro-price').expect(200);
    expect(us.body).toMatchObject({ region: 'US', price: { amountCents: 499, currency: 'USD' } });
    const au = await request(api.app.getHttpServer()).get('/api/billing/pro-price?region=AU').expect(200);
    expect(au.body).toMatchObject({ currency: 'AUD', price: null, source: 'configured' });
    expect(au.body.otherPrices).toHaveLength(3);
  });
});

/**
 * Stripe's API is out of reach here, so a local server stands in for it; the official SDK makes its
 * real requests to it (through its host/port/protocol options, set by STRIPE_API_BASE_URL).
 */
describe('billing against a Stripe stand-in', () => {
  let api: ApiUnderTest;
  let stripe: HttpStandIn;
  let customers = 0;

  const happyStripe = (req: ReceivedRequest): StandInAnswer => {
    if (req.path === '/v1/customers') {
      customers += 1;
      return { status: 200, body: { id: `cus_standin_${customers}`, object: 'customer' } };
    }
    if (req.path === '/v1/checkout/sessions') return { status: 200, body: { id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.test/c/pay/cs_test_1' } };
    if (req.path.startsWith('/v1/prices/price_pro_monthly'))
      return { status: 200, body: { id: 'price_pro_monthly', object: 'price', currency: 'usd', unit_amount: 500, currency_options: { gbp: { unit_amount: 400 }, usd: { unit_amount: 500 } } } };
    if (req.path === '/v1/billing_portal/sessions') return { status: 200, body: { id: 'bps_1', object: 'billing_portal.session', url: 'https://billing.stripe.test/p/session/bps_1' } };
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `no route ${req.path}` } } };
  };

  beforeAll(async () => {
    stripe = await startHttpStandIn(happyStripe);
    api = await startApiUnderTest({ STRIPE_SECRET_KEY: 'sk_test_standin', STRIPE_PRICE_ID: 'price_pro_monthly', STRIPE_API_BASE_URL: stripe.url });
  });
  afterAll(async () => {
    await api.close();
    await stripe.close();
  });

  const post = (path: string, rider: { cookie: string[]; csrfToken: string }) =>
    request(api.app.getHttpServer()).post(path).set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken);

  it('shows the Stripe price in the rider’s currency (a currency option), asks Stripe once, and keeps other currencies apart', async () => {
    stripe.answer(happyStripe);
    const before = stripe.requests.filter((r) => r.path.startsWith('/v1/prices/')).length;
    const gb = await request(api.app.getHttpServer()).get('/api/billing/pro-price?region=GB').expect(200);
    expect(gb.body).toMatchObject({ source: 'stripe', currency: 'GBP', price: { amountCents: 400, currency: 'GBP' }, otherPrices: [{ amountCents: 500, currency: 'USD' }] });
    const de = await request(api.app.getHttpServer()).get('/api/billing/pro-price?region=DE').expect(200);
    expect(de.body).toMatchObject({ source: 'stripe', currency: 'EUR', price: null });
    const asked = stripe.requests.filter((r) => r.path.startsWith('/v1/prices/'));
    expect(asked).toHaveLength(before + 1);
    expect(decodeURIComponent(asked.at(-1)!.path)).toContain('expand[0]=currency_options');
  });

  it('creates the Stripe customer once and a checkout session that carries the user id', async () => {
    stripe.answer(happyStripe);
    const rider = await signIn(api.app, 'buyer@example.com');
    const first = await post('/api/billing/checkout', rider).expect(200);
    expect(first.body).toEqual({ url: 'https://checkout.stripe.test/c/pay/cs_test_1' });
    await post('/api/billing/checkout', rider).expect(200);

    const stored = await api.db.knex('users').where({ id: rider.userId }).first('stripe_customer_id');
    expect(stored.stripe_customer_id).toBe('cus_standin_1');
    expect(stripe.requests.filter((r) => r.path === '/v1/customers')).toHaveLength(1);

    const sessions = stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').map((r) => new URLSearchParams(r.body));
    expect(sessions).toHaveLength(2);
    expect(sessions[0].get('client_reference_id')).toBe(rider.userId);
    expect(sessions[0].get('customer')).toBe('cus_standin_1');
    expect(sessions[0].get('metadata[userId]')).toBe(rider.userId);
    expect(sessions[0].get('subscription_data[metadata][userId]')).toBe(rider.userId);
    expect(sessions[0].get('line_items[0][price]')).toBe('price_pro_monthly');
    expect(sessions[0].get('mode')).toBe('subscription');
    // Nothing personal goes to Stripe from us: Checkout asks the rider for their email itself.
    expect(stripe.requests.map((r) => r.body).join('\n')).not.toContain('buyer@example.com');
    // Every write carries an idempotency key (a GET of the Pro price has nothing to repeat).
    expect(stripe.requests.filter((r) => r.method === 'POST').every((r) => typeof r.headers['idempotency-key'] === 'string')).toBe(true);
  });

  it('opens the billing portal for a rider who has a Stripe customer, and refuses one who has none', async () => {
    stripe.answer(happyStripe);
    const rider = await signIn(api.app, 'portal@example.com');
    const none = await post('/api/billing/portal', rider).expect(409);
    expect(none.body.detail).toMatch(/subscribe/i);
    await api.db.knex('users').where({ id: rider.userId }).update({ stripe_customer_id: 'cus_portal' });
    const res = await post('/api/billing/portal', rider).expect(200);
    expect(res.body).toEqual({ url: 'https://billing.stripe.test/p/session/bps_1' });
    const portal = stripe.requests.filter((r) => r.path === '/v1/billing_portal/sessions').at(-1)!;
    expect(new URLSearchParams(portal.body).get('customer')).toBe('cus_portal');
  });

  it('refuses a checkout for a rider who is already Pro', async () => {
    const rider = await signIn(api.app, 'already-pro@example.com');
    await api.db.knex('users').where({ id: rider.userId }).update({ plan: 'pro' });
    await post('/api/billing/checkout', rider).expect(409);
  });

  it('does not retry a request Stripe rejects, answers 502 and records the failure', async () => {
    const rider = await signIn(api.app, 'rejected@example.com');
    await api.db.knex('users').where({ id: rider.userId }).update({ stripe_customer_id: 'cus_rejected' });
    const before = stripe.requests.length;
    stripe.answer(() => ({ status: 400, body: { error: { type: 'invalid_request_error', message: 'No such price: price_pro_monthly' } } }));
    const res = await post('/api/billing/checkout', rider).expect(502);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stripe.requests.length - before).toBe(1);
    const recorded = await api.db.knex('integration_errors').where({ integration: 'stripe', operation: 'checkout.sessions.create' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].payload).toEqual({ userId: rider.userId });
    expect(recorded[0].error).toMatch(/No such price/);
  });

  it('retries a failing Stripe with backoff, then answers 503 and records the failure', async () => {
    const rider = await signIn(api.app, 'outage@example.com');
    await api.db.knex('users').where({ id: rider.userId }).update({ stripe_customer_id: 'cus_outage' });
    const before = stripe.requests.length;
    stripe.answer(() => ({ status: 500, body: { error: { type: 'api_error', message: 'Something went wrong on Stripe' } } }));
    const res = await post('/api/billing/portal', rider).expect(503);
    expect(res.body.detail).toMatch(/try again/);
    const attempts = stripe.requests.slice(before);
    expect(attempts).toHaveLength(3);
    // Every attempt carries the same idempotency key, so a retry after a lost answer is not a second session.
    expect(new Set(attempts.map((a) => a.headers['idempotency-key'])).size).toBe(1);
    const recorded = await api.db.knex('integration_errors').where({ integration: 'stripe', operation: 'billingPortal.sessions.create' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].error).toMatch(/Something went wrong on Stripe/);
  });
});
