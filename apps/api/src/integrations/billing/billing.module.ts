import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import { BillingController } from './billing.controller.js';
import { BillingService } from './billing.service.js';
import { ProPlanPrices } from './pro-plan-price.js';
import { createStripeClient, STRIPE } from './stripe-client.js';
import { StripeWebhookController } from './stripe-webhook.controller.js';
import { StripeWebhookService } from './stripe-webhook.service.js';

@Module({})
export class BillingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = new Logger('BillingModule');
    if (!config.STRIPE_SECRET_KEY) logger.log('Stripe billing disabled: STRIPE_SECRET_KEY not set (checkout and portal answer 503)');
    if (!config.STRIPE_WEBHOOK_SECRET) logger.log('Stripe webhooks disabled: STRIPE_WEBHOOK_SECRET not set (the webhook answers 503)');
    return {
      module: BillingModule,
      controllers: [BillingController, StripeWebhookController],
      providers: [{ provide: STRIPE, useFactory: () => createStripeClient(config) ?? null }, BillingService, ProPlanPrices, StripeWebhookService],
      exports: [StripeWebhookService],
    };
  }
}
