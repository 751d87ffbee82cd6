import { BadRequestException, Controller, Headers, HttpCode, Inject, Post, Req, ServiceUnavailableException, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';
import Stripe from 'stripe';
import type { AppConfig } from '@mpp/config';
import { APP_CONFIG } from '../../infrastructure/tokens.js';
import { StripeWebhookService, type WebhookOutcome } from './stripe-webhook.service.js';

/**
 * Stripe calls this, not a browser: no session, no CSRF token, no rate limit (Stripe retries on its own
 * schedule). Trust comes only from the signature over the exact bytes received.
 */
@ApiExcludeController()
@SkipThrottle()
@Controller('api/webhooks')
export class StripeWebhookController {
  constructor(
    private readonly webhooks: StripeWebhookService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('stripe')
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature?: string): Promise<{ received: true; outcome: WebhookOutcome }> {
    const secret = this.config.STRIPE_WEBHOOK_SECRET;
    if (!secret) throw new ServiceUnavailableException('Stripe webhooks are not configured on this server (STRIPE_WEBHOOK_SECRET).');
    if (!signature) throw new BadRequestException('Missing Stripe-Signature header.');
    if (!req.rawBody) throw new BadRequestException('Expected a JSON body.');
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(req.rawBody, signature, secret);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new BadRequestException('The Stripe signature does not match the payload.');
      }
      throw error;
    }
    return { received: true, outcome: await this.webhooks.handle(event) };
  }
}
