import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/authenticated.decorator.js';
import type { User } from '../auth/users.repository.js';
import { BillingService } from './billing.service.js';
import { PersonalResponse } from '../http/personal-response.js';

@ApiTags('billing')
@Controller('api/billing')
@PersonalResponse()
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Post('checkout')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'A Stripe Checkout URL for the Pro plan' })
  @ApiOkResponse({ schema: { properties: { url: { type: 'string' } } } })
  @ApiServiceUnavailableResponse({ description: 'Stripe is not configured, or not answering' })
  async checkout(@CurrentUser() user: User): Promise<{ url: string }> {
    return { url: await this.billing.checkoutUrl(user) };
  }

  @Post('portal')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'A Stripe billing portal URL to manage or cancel the subscription' })
  @ApiOkResponse({ schema: { properties: { url: { type: 'string' } } } })
  @ApiServiceUnavailableResponse({ description: 'Stripe is not configured, or not answering' })
  async portal(@CurrentUser() user: User): Promise<{ url: string }> {
    return { url: await this.billing.portalUrl(user) };
  }
}
