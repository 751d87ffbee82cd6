import { Logger } from '@nestjs/common';
import type { MailDelivery, MailTransport, OutgoingMessage, SendOptions } from './mail-transport.js';

/**
 * Without RESEND_API_KEY nothing leaves the machine: the mail stays in the outbox as `logged`, one log
 * line says so (outbox id and kind, never the address), and GET /api/dev/mailbox shows it to the developer.
 */
export class LoggingMailTransport implements MailTransport {
  readonly name = 'mail-log';
  private readonly logger = new Logger('Mail');

  async send(_message: OutgoingMessage, options: SendOptions): Promise<MailDelivery> {
    this.logger.log({ outboxId: options.idempotencyKey, kind: options.kind }, 'mail logged, not sent (RESEND_API_KEY not set)');
    return { status: 'logged' };
  }

  isTransient(): boolean {
    return false;
  }
}
