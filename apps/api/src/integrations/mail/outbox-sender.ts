import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import type { Knex } from '@mpp/db';
import { EmailCipher } from '../../auth/email-cipher.js';
import { UsersRepository } from '../../auth/users.repository.js';
import { APP_CONFIG, KNEX } from '../../infrastructure/tokens.js';
import { claimDueRows } from '../resilience/claim-due-rows.js';
import { IntegrationCallFailed } from '../resilience/integration-call-failed.js';
import { describeError, IntegrationErrors } from '../resilience/integration-errors.js';
import { Resilience } from '../resilience/resilience.js';
import type { MailData, MailKind } from './mail-kinds.js';
import { renderMail, type RenderedMail } from './mail-templates.js';
import { MAIL_TRANSPORT, type MailDelivery, type MailTransport } from './mail-transport.js';

export const OUTBOX_SENDER_OPTIONS = Symbol('OUTBOX_SENDER_OPTIONS');

export interface OutboxSenderOptions {
  /** Mails taken per run. */
  batchSize: number;
  /** Scheduled attempts before a mail is marked failed and written to integration_errors. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time (with jitter) up to maxRetryDelayMs. */
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  /** A claimed mail is invisible to other senders this long; a sender that dies mid-send leaves it to be retried. */
  leaseMs: number;
}

export const DEFAULT_OUTBOX_SENDER: OutboxSenderOptions = {
  batchSize: 25,
  maxAttempts: 8,
  retryBaseDelayMs: 60_000,
  maxRetryDelayMs: 2 * 3600_000,
  leaseMs: 5 * 60_000,
};

export interface OutboxRunReport {
  claimed: number;
  sent: number;
  logged: number;
  retrying: number;
  failed: number;
}

interface OutboxRow {
  id: string;
  kind: MailKind;
  to_user_id: string | null;
  to_email_encrypted: string | null;
  data: MailData[MailKind];
  attempts: number;
}

/** Exponential with "equal jitter": never shorter than the previous delay, never in lock-step with other senders. */
export function retryDelayMs(attempts: number, options: Pick<OutboxSenderOptions, 'retryBaseDelayMs' | 'maxRetryDelayMs'>, random = Math.random): number {
  const ceiling = Math.min(options.retryBaseDelayMs * 2 ** Math.max(0, attempts - 1), options.maxRetryDelayMs);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Delivers due outbox mails; run by the outbox-sender job, or directly (tests, CLI). */
@Injectable()
export class OutboxSender {
  private readonly logger = new Logger('OutboxSender');
  private readonly options: OutboxSenderOptions;

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly cipher: EmailCipher,
    private readonly resilience: Resilience,
    private readonly errors: IntegrationErrors,
    @Optional() @Inject(OUTBOX_SENDER_OPTIONS) options?: Partial<OutboxSenderOptions>,
  ) {
    this.options = { ...DEFAULT_OUTBOX_SENDER, ...options };
  }

  /** `now` decides which mails are due and when retries fall due; tests move it forward instead of waiting. */
  async sendDue(now: Date = new Date()): Promise<OutboxRunReport> {
    const claimed = await this.claim(now);
    const report: OutboxRunReport = { claimed: claimed.length, sent: 0, logged: 0, retrying: 0, failed: 0 };
    for (const row of claimed) {
      const outcome = await this.deliver(row, now);
      report[outcome] += 1;
    }
    return report;
  }

  private claim(now: Date): Promise<OutboxRow[]> {
    return claimDueRows<OutboxRow>(this.knex, {
      table: 'email_outbox',
      returning: ['id', 'kind', 'to_user_id', 'to_email_encrypted', 'data', 'attempts'],
      now,
      leaseMs: this.options.leaseMs,
      batchSize: this.options.batchSize,
    });
  }

  private async deliver(row: OutboxRow, now: Date): Promise<'sent' | 'logged' | 'retrying' | 'failed'> {
    const to = await this.recipientOf(row);
    if (!to) return this.fail(row, 'the recipient account no longer exists', false);
    const mail = await this.render(row);
    const caller = this.resilience.for(this.transport.name);
    let delivery: MailDelivery;
    try {
      delivery = await caller.call(
        'send-mail',
        (signal) => this.transport.send({ from: this.config.EMAIL_FROM, to, ...mail }, { idempotencyKey: row.id, kind: row.kind, signal }),
        { isTransient: (error) => this.transport.isTransient(error), recordFailure: false },
      );
    } catch (error) {
      const transient = error instanceof IntegrationCallFailed ? error.transient : true;
      if (!transient || row.attempts >= this.options.maxAttempts) return this.fail(row, describeError(error), true);
      const nextAttemptAt = new Date(now.getTime() + retryDelayMs(row.attempts, this.options));
      await this.knex('email_outbox').where({ id: row.id }).update({ status: 'pending', next_attempt_at: nextAttemptAt, last_error: describeError(error) });
      this.logger.warn({ outboxId: row.id, kind: row.kind, attempts: row.attempts, nextAttemptAt }, 'mail delivery failed; will retry');
      return 'retrying';
    }
    await this.knex('email_outbox')
      .where({ id: row.id })
      .update({
        status: delivery.status,
        sent_at: now,
        last_error: null,
        provider_message_id: delivery.status === 'sent' ? (delivery.providerMessageId ?? null) : null,
        // A sent mail no longer needs the address; a logged one keeps it for the dev mailbox.
        ...(delivery.status === 'sent' ? { to_email_encrypted: null } : {}),
      });
    return delivery.status;
  }

  private async fail(row: OutboxRow, reason: string, integrationFailure: boolean): Promise<'failed'> {
    await this.knex('email_outbox').where({ id: row.id }).update({ status: 'failed', last_error: reason, to_email_encrypted: null });
    if (integrationFailure) {
      await this.errors.record({
        integration: this.transport.name,
        operation: 'send-mail',
        payload: { outboxId: row.id, kind: row.kind, attempts: row.attempts, toUserId: row.to_user_id },
        error: reason,
      });
    } else {
      this.logger.warn({ outboxId: row.id, kind: row.kind, reason }, 'mail dropped');
    }
    return 'failed';
  }

  private async recipientOf(row: OutboxRow): Promise<string | undefined> {
    if (row.to_user_id) return this.users.emailOf(row.to_user_id);
    if (row.to_email_encrypted) return this.cipher.decrypt(row.to_email_encrypted);
    return undefined;
  }

  async render(row: Pick<OutboxRow, 'kind' | 'data'>): Promise<RenderedMail> {
    const mentioned = row.kind === 'build-shared' ? [(row.data as MailData['build-shared']).sharedByUserId] : [];
    const displayNames = await this.users.displayNames(mentioned);
    return renderMail(row.kind, row.data as never, { publicBaseUrl: this.config.PUBLIC_BASE_URL, displayNames });
  }
}
