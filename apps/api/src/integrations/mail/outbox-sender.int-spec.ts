import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger, type LoggerService } from '@nestjs/common';
import { loadConfig } from '@mpp/config';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { EmailCipher } from '../../auth/email-cipher.js';
import { UsersRepository } from '../../auth/users.repository.js';
import { IntegrationErrors } from '../resilience/integration-errors.js';
import { Resilience } from '../resilience/resilience.js';
import { startHttpStandIn, type HttpStandIn } from '../resilience/testing/http-stand-in.js';
import { LoggingMailTransport } from './logging-mail-transport.js';
import type { MailTransport } from './mail-transport.js';
import { OutboxSender, type OutboxSenderOptions } from './outbox-sender.js';
import { OutboxWriter } from './outbox-writer.js';
import { ResendMailTransport } from './resend-mail-transport.js';

/** Every log line of the run, to prove no address ends up in one. */
class CollectingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...args: unknown[]) => void this.lines.push(JSON.stringify(args, (_k, v) => (v instanceof Error ? `${v.name}: ${v.message}` : v)));
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
}

const RECIPIENT = 'rider.outbox@example.com';
const FRIEND = 'friend.outbox@example.com';

describe('OutboxSender', () => {
  let db: TestDatabase;
  let resend: HttpStandIn;
  let userId: string;
  const logs = new CollectingLogger();
  const cipher = new EmailCipher('outbox-sender-test-secret-of-32-characters');
  const config = loadConfig({ NODE_ENV: 'test', EMAIL_FROM: 'MotoPartPicker <noreply@motopartpicker.test>', PUBLIC_BASE_URL: 'https://motopartpicker.test' });
  const schedule: Partial<OutboxSenderOptions> = { maxAttempts: 4, retryBaseDelayMs: 60_000, maxRetryDelayMs: 3600_000 };

  /** A sender as the app builds it, with its own circuit breaker, and in-call retries shortened to milliseconds. */
  function sender(transport: MailTransport, options: Partial<OutboxSenderOptions> = schedule): OutboxSender {
    const errors = new IntegrationErrors(db.knex);
    const resilience = new Resilience(errors, { initialDelayMs: 2, maxDelayMs: 10, timeoutMs: 2_000 });
    return new OutboxSender(db.knex, transport, config, new UsersRepository(db.knex, cipher), cipher, resilience, errors, options);
  }

  const enqueue = (mail: Parameters<OutboxWriter['enqueue']>[1]) => db.knex.transaction((trx) => new OutboxWriter(cipher).enqueue(trx, mail));
  const digestFor = (to: { userId: string } | { email: string }) =>
    enqueue({ kind: 'weekly-digest', to, data: { periodStart: '2026-11-09', periodEnd: '2026-11-15', newVerifications: 3, priceDrops: [] } });

  beforeAll(async () => {
    Logger.overrideLogger(logs);
    db = await createTestDatabase();
    resend = await startHttpStandIn(() => ({ status: 200, body: { id: 're_unused' } }));
    userId = (await new UsersRepository(db.knex, cipher).upsertByEmail({ email: RECIPIENT, displayName: 'Outbox Rider' })).id;
  });
  afterAll(async () => {
    await resend.close();
    await db.drop();
  });
  beforeEach(() => {
    resend.requests.splice(0);
  });
  afterEach(async () => {
    await db.knex('email_outbox').delete();
  });

  it('retries a failing transport with growing delays and finally records the failure in integration_errors', async () => {
    resend.answer(() => ({ status: 500, body: { statusCode: 500, name: 'internal_server_error', message: 'Resend is having a bad day' } }));
    const outbox = sender(new ResendMailTransport('re_test_key', resend.url));
    const id = (await digestFor({ userId }))!;

    let now = new Date();
    const delays: number[] = [];
    for (let attempt = 1; attempt < 4; attempt += 1) {
      expect(await outbox.sendDue(now)).toMatchObject({ claimed: 1, retrying: 1 });
      const row = await db.knex('email_outbox').where({ id }).first();
      expect(row).toMatchObject({ status: 'pending', attempts: attempt });
      expect(row.last_error).toBeTruthy();
      delays.push(row.next_attempt_at.getTime() - now.getTime());
      // Not due before its time: a run a second later takes nothing.
      expect((await outbox.sendDue(new Date(now.getTime() + 1000))).claimed).toBe(0);
      now = row.next_attempt_at;
    }
    // Exponential: about a minute, then two, then four, each with jitter but never shorter than the last.
    expect(delays[0]).toBeGreaterThanOrEqual(30_000);
    expect(delays[0]).toBeLessThanOrEqual(60_000);
    expect(delays[1]).toBeGreaterThanOrEqual(delays[0]);
    expect(delays[2]).toBeGreaterThanOrEqual(delays[1]);
    expect(delays[2]).toBeGreaterThanOrEqual(120_000);

    expect(await outbox.sendDue(now)).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await db.knex('email_outbox').where({ id }).first();
    expect(failed).toMatchObject({ status: 'failed', attempts: 4 });

    const recorded = await db.knex('integration_errors').where({ integration: 'resend', operation: 'send-mail' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].payload).toEqual({ outboxId: id, kind: 'weekly-digest', attempts: 4, toUserId: userId });
    expect(JSON.stringify(recorded)).not.toContain('rider.outbox@');

    // The real SDK made the calls: retried within a run, then the circuit opened and spared Resend.
    expect(resend.requests.length).toBeGreaterThanOrEqual(3);
    expect(resend.requests.every((r) => r.path === '/emails' && r.headers['idempotency-key'] === id)).toBe(true);
  });

  it('delivers through Resend with the outbox id as idempotency key, then forgets an address that belongs to no account', async () => {
    resend.answer(() => ({ status: 200, body: { id: 're_message_1' } }));
    const outbox = sender(new ResendMailTransport('re_test_key', resend.url));
    const id = (await enqueue({
      kind: 'build-shared',
      to: { email: FRIEND },
      data: { buildId: '0b8f2a9e-5a55-4c77-9a0a-6f8c9e1d2b3c', buildName: 'Adventure <Ténéré>', sharedByUserId: userId },
    }))!;

    expect(await outbox.sendDue()).toMatchObject({ claimed: 1, sent: 1 });

    expect(resend.requests).toHaveLength(1);
    const [call] = resend.requests;
    expect(call.headers['idempotency-key']).toBe(id);
    expect(call.headers.authorization).toBe('Bearer re_test_key');
    const body = JSON.parse(call.body);
    expect(body.to).toEqual([FRIEND]);
    expect(body.from).toBe('MotoPartPicker <noreply@motopartpicker.test>');
    expect(body.subject).toBe('A rider shared a motorcycle build with you: Adventure <Ténéré>');
    expect(body.text).toContain('Outbox Rider shared the build');
    expect(body.text).toContain('https://motopartpicker.test/builds/0b8f2a9e-5a55-4c77-9a0a-6f8c9e1d2b3c');
    expect(body.html).toContain('Adventure &lt;Ténéré&gt;');

    const row = await db.knex('email_outbox').where({ id }).first();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: 're_message_1', to_email_encrypted: null, last_error: null });
    expect(row.sent_at).toBeInstanceOf(Date);
  });

  it('gives up at once on an address the provider rejects, and records it', async () => {
    resend.answer(() => ({ status: 422, body: { statusCode: 422, name: 'validation_error', message: `Invalid \`to\` field: ${RECIPIENT}` } }));
    const outbox = sender(new ResendMailTransport('re_test_key', resend.url));
    const id = (await digestFor({ userId }))!;
    expect(await outbox.sendDue()).toMatchObject({ claimed: 1, failed: 1 });
    expect(resend.requests).toHaveLength(1);
    const row = await db.knex('email_outbox').where({ id }).first();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    const recorded = await db.knex('integration_errors').whereRaw(`payload->>'outboxId' = ?`, [id]).first();
    expect(recorded.error).toMatch(/Invalid `to` field: \[email\]/);
  });

  it('marks mails logged without a Resend key, contacting nobody', async () => {
    const outbox = sender(new LoggingMailTransport());
    const id = (await digestFor({ userId }))!;
    expect(await outbox.sendDue()).toMatchObject({ claimed: 1, logged: 1 });
    expect(resend.requests).toHaveLength(0);
    expect(await db.knex('email_outbox').where({ id }).first()).toMatchObject({ status: 'logged', attempts: 1 });
  });

  it('never hands the same mail to two senders running at once', async () => {
    resend.answer(() => ({ status: 200, body: { id: 're_concurrent' } }));
    for (let i = 0; i < 12; i += 1) await digestFor({ userId });
    const options = { ...schedule, batchSize: 5 };
    const senders = [sender(new ResendMailTransport('re_test_key', resend.url), options), sender(new ResendMailTransport('re_test_key', resend.url), options)];
    let delivered = 0;
    for (let round = 0; round < 4; round += 1) {
      const reports = await Promise.all(senders.map((s) => s.sendDue()));
      delivered += reports.reduce((sum, r) => sum + r.sent, 0);
    }
    expect(delivered).toBe(12);
    const keys = resend.requests.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(12);
    expect(keys).toHaveLength(12);
  });

  it('logged what happened to these mails without a single address', () => {
    const all = logs.lines.join('\n');
    expect(all).toMatch(/will retry/);
    expect(all).toMatch(/outbound call failed permanently/);
    expect(all).not.toMatch(/rider\.outbox@|friend\.outbox@/);
  });
});
