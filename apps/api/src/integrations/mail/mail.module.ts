import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import { DevMailboxController } from './dev-mailbox.controller.js';
import { EmailPreferencesController } from './email-preferences.controller.js';
import { LoggingMailTransport } from './logging-mail-transport.js';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport.js';
import { OutboxSender } from './outbox-sender.js';
import { OutboxSenderJob } from './outbox-sender.job.js';
import { OutboxWriter } from './outbox-writer.js';
import { ResendMailTransport } from './resend-mail-transport.js';

/** Global so that any feature can inject OutboxWriter and enqueue a mail in its own transaction. */
@Global()
@Module({})
export class MailModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = new Logger('MailModule');
    if (!config.RESEND_API_KEY) logger.log('Resend disabled: RESEND_API_KEY not set; mails are logged and kept in the outbox (GET /api/dev/mailbox)');
    const transport: MailTransport = config.RESEND_API_KEY ? new ResendMailTransport(config.RESEND_API_KEY, config.RESEND_BASE_URL) : new LoggingMailTransport();
    return {
      module: MailModule,
      controllers: [EmailPreferencesController, ...(config.devMailboxEnabled ? [DevMailboxController] : [])],
      providers: [{ provide: MAIL_TRANSPORT, useValue: transport }, OutboxWriter, OutboxSender, OutboxSenderJob],
      exports: [OutboxWriter, OutboxSender],
    };
  }
}
