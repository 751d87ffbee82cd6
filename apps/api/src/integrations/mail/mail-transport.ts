/** The port the outbox sender delivers through: Resend in production, a log line without a key. */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SendOptions {
  /** The outbox id: a retried send after a lost answer is not a second mail. */
  idempotencyKey: string;
  kind: string;
  signal: AbortSignal;
}

export type MailDelivery = { status: 'sent'; providerMessageId?: string } | { status: 'logged' };

export interface MailTransport {
  /** Also the integration name in integration_errors and of its circuit breaker. */
  readonly name: string;
  send(message: OutgoingMessage, options: SendOptions): Promise<MailDelivery>;
  /** Whether a failure may succeed later (network, 429, 5xx) or never will (a rejected address). */
  isTransient(error: unknown): boolean;
}

/** A delivery the provider refused or could not take; statusCode is null when no answer came. */
export class MailTransportError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | null,
    readonly code: string,
  ) {
    super(message);
    this.name = 'MailTransportError';
  }
}
