import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { JobRegistry } from '../../operations/jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { signIn } from '../../testing/sign-in.js';
import { OutboxWriter } from './outbox-writer.js';

describe('mail without a Resend key (development)', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  beforeAll(async () => {
    api = await startApiUnderTest({ NODE_ENV: 'development', JOBS_ENABLED: '0' });
  });
  afterAll(() => api.close());

  it('opts a rider in and out of the weekly digest', async () => {
    const rider = await signIn(api.app, 'digest@example.com');
    const put = (weeklyDigest: unknown) => http().put('/api/me/preferences').set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).send({ weeklyDigest });
    expect((await put(true).expect(200)).body).toEqual({ weeklyDigest: true });
    expect((await http().get('/api/me').set('Cookie', rider.cookie).expect(200)).body.emailPreferences).toEqual({ weeklyDigest: true });
    expect((await put(false).expect(200)).body).toEqual({ weeklyDigest: false });
    const invalid = await put('yes').expect(400);
    expect(invalid.body.errors[0].field).toBe('weeklyDigest');
  });

  it('keeps preferences to signed-in riders with the CSRF token', async () => {
    await http().put('/api/me/preferences').send({ weeklyDigest: true }).expect(401);
    const rider = await signIn(api.app, 'nocsrf-digest@example.com');
    await http().put('/api/me/preferences').set('Cookie', rider.cookie).send({ weeklyDigest: true }).expect(403);
  });

  it('marks mails logged and shows them, rendered and addressed, in the dev mailbox', async () => {
    const rider = await signIn(api.app, 'mailbox.reader@example.com');
    await api.db.knex.transaction((trx) =>
      api.app.get(OutboxWriter).enqueue(trx, {
        kind: 'verification-received',
        to: { userId: rider.userId },
        data: { verificationId: 'c0a8012e-0000-4000-8000-000000000001', partId: 'c0a8012e-0000-4000-8000-000000000002', partName: 'Oxford Heated Grips', bikeName: '2019 BMW R 1250 GS', fits: true },
      }),
    );
    const run = await api.app.get(JobRegistry).runNow('outbox-sender');
    expect(run.outcome).toBe('ok');
    expect(run.detail).toMatch(/logged 1/);

    const res = await http().get('/api/dev/mailbox').expect(200);
    const mail = res.body.items.find((m: { kind: string }) => m.kind === 'verification-received');
    expect(mail).toMatchObject({ status: 'logged', to: 'mailbox.reader@example.com', subject: 'Thanks: your verification of Oxford Heated Grips is recorded' });
    expect(mail.text).toContain('Oxford Heated Grips fits the 2019 BMW R 1250 GS');
    expect(mail.html).toContain('<p>');
  });
});

describe('mail in production', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest({ NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(40), JOBS_ENABLED: '0' });
  });
  afterAll(() => api.close());

  it('has no dev mailbox', async () => {
    await request(api.app.getHttpServer()).get('/api/dev/mailbox').expect(404);
  });
});
