import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/authenticated.decorator.js';
import type { User } from '../auth/users.repository.js';
import { BillingService } from './billing.service.js';
import { PersonalResponse } from '../http/personal-response.js';
import { ApiProblems } from '../http/openapi/api-problems.decorator.js';
import { BillingRedirectResponse } from './billing.responses.js';

const STRIPE_UNAVAILABLE = 'Stripe is not configured, or not answering';

@ApiTags('billing')
@Controller('api/billing')
@PersonalResponse()
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Post('checkout')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'A Stripe Checkout URL for the Pro plan' })
  @ApiOkResponse({ type: BillingRedirectResponse })
  @ApiProblems([503, STRIPE_UNAVAILABLE])
  async checkout(@CurrentUser() user: User): Promise<BillingRedirectResponse> {
    return { url: await this.billing.checkoutUrl(user) };
  }

  @Post('portal')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'A Stripe billing portal URL to manage or cancel the subscription' })
  @ApiOkResponse({ type: BillingRedirectResponse })
  @ApiProblems([503, STRIPE_UNAVAILABLE])
  async portal(@CurrentUser() user: User): Promise<BillingRedirectResponse> {
    return { url: await this.billing.portalUrl(user) };
  }
}
