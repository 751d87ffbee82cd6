import { Resend } from 'resend';
import { MailTransportError, type MailDelivery, type MailTransport, type OutgoingMessage, type SendOptions } from './mail-transport.js';

/** Delivers through the Resend API with the official SDK; `baseUrl` points it at a stand-in in tests. */
export class ResendMailTransport implements MailTransport {
  readonly name = 'resend';
  private readonly resend: Resend;

  constructor(apiKey: string, baseUrl?: string) {
    this.resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  }

  async send(message: OutgoingMessage, options: SendOptions): Promise<MailDelivery> {
    // The SDK answers errors as values rather than throwing; turn them into one typed error.
    const { data, error } = await this.resend.emails.send(
      { from: message.from, to: [message.to], subject: message.subject, text: message.text, html: message.html },
      { idempotencyKey: options.idempotencyKey, signal: options.signal },
    );
    if (error) throw new MailTransportError(error.message, error.statusCode ?? null, error.name);
    return { status: 'sent', providerMessageId: data?.id };
  }

  isTransient(error: unknown): boolean {
    if (!(error instanceof MailTransportError)) return true;
    const status = error.statusCode;
    return status === null || status === 429 || status >= 500;
  }
}
