import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { EmailCipher } from '../../auth/email-cipher.js';
import { redactText } from '../resilience/personal-data-redaction.js';
import type { MailRequest } from './mail-kinds.js';
import { subjectOf } from './mail-templates.js';

/**
 * The transactional outbox: a mail is written in the same transaction as the change that causes it,
 * so a rolled-back change sends nothing and a committed one always sends (the sender job delivers).
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly cipher: EmailCipher) {}

  /** Returns the outbox id, or undefined when a mail with the same dedupeKey is already queued. */
  async enqueue(trx: Knex.Transaction, mail: MailRequest): Promise<string | undefined> {
    const data = JSON.stringify(mail.data);
    if (redactText(data) !== data) throw new Error(`${mail.kind} mail data contains an email address; pass recipients in "to" only`);
    const id = randomUUID();
    const rows = await trx('email_outbox')
      .insert({
        id,
        kind: mail.kind,
        to_user_id: 'userId' in mail.to ? mail.to.userId : null,
        to_email_encrypted: 'email' in mail.to ? this.cipher.encrypt(mail.to.email) : null,
        subject: subjectOf(mail.kind, mail.data as never),
        data,
        dedupe_key: mail.dedupeKey ?? null,
      })
      .onConflict('dedupe_key')
      .ignore()
      .returning('id');
    return rows.length === 1 ? id : undefined;
  }
}
