import { Controller, DefaultValuePipe, Get, Inject, ParseIntPipe, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Knex } from '@mpp/db';
import { EmailCipher } from '../../auth/email-cipher.js';
import { LoopbackOnlyGuard } from '../../auth/loopback-only.guard.js';
import { UsersRepository } from '../../auth/users.repository.js';
import { KNEX } from '../../infrastructure/tokens.js';
import type { MailData, MailKind } from './mail-kinds.js';
import { OutboxSender } from './outbox-sender.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { DevMailboxResponse } from './dev-mailbox.responses.js';

interface MailboxRow {
  id: string;
  kind: MailKind;
  status: string;
  to_user_id: string | null;
  to_email_encrypted: string | null;
  data: MailData[MailKind];
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/**
 * The developer's inbox: without RESEND_API_KEY mails are only logged, and this shows them rendered,
 * with the address they would have gone to. Registered only with DEV_MAILBOX=1 outside production
 * (see MailModule), and answers only requests from this machine.
 */
@ApiTags('dev')
@Controller('api/dev/mailbox')
@UseGuards(LoopbackOnlyGuard)
export class DevMailboxController {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly users: UsersRepository,
    private readonly cipher: EmailCipher,
    private readonly sender: OutboxSender,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Recent outbox mails, rendered, with their recipient (development only)' })
  @ApiOkResponse({ type: DevMailboxResponse })
  @ApiProblems([403, 'not called from this machine'])
  async list(@Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number): Promise<DevMailboxResponse> {
    const rows: MailboxRow[] = await this.knex('email_outbox')
      .orderBy('created_at', 'desc')
      .limit(Math.min(Math.max(limit, 1), 200))
      .select('id', 'kind', 'status', 'to_user_id', 'to_email_encrypted', 'data', 'attempts', 'last_error', 'created_at', 'sent_at');
    const items = [];
    for (const row of rows) {
      const rendered = await this.sender.render(row);
      const to = row.to_user_id
        ? await this.users.emailOf(row.to_user_id)
        : row.to_email_encrypted
          ? this.cipher.decrypt(row.to_email_encrypted)
          : undefined;
      items.push({
        id: row.id,
        kind: row.kind,
        status: row.status,
        to: to ?? null,
        ...rendered,
        attempts: row.attempts,
        lastError: row.last_error,
        createdAt: row.created_at,
        sentAt: row.sent_at,
      });
    }
    return { items };
  }
}
