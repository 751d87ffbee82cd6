import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { User } from '../../auth/users.repository.js';
import { BillingService } from './billing.service.js';
import { PersonalResponse } from '../../http/personal-response.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { BillingRedirectResponse, ProPlanPriceResponse } from './billing.responses.js';
import { ProPlanPrices } from './pro-plan-price.js';
import { RegionQueryDto } from '../../commands/prices/region-query.dto.js';

const STRIPE_UNAVAILABLE = 'Stripe is not configured, or not answering';

@ApiTags('billing')
@Controller('api/billing')
@PersonalResponse()
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly proPrices: ProPlanPrices,
  ) {}

  /** Public: the same for everyone in a region, so a shared cache may keep it briefly. */
  @Get('pro-price')
  @ApiOperation({ summary: "The Pro plan's monthly price in the region's currency (from Stripe, else the configured display price)" })
  @ApiOkResponse({ type: ProPlanPriceResponse })
  async proPrice(@Query() query: RegionQueryDto, @Res({ passthrough: true }) res: Response): Promise<ProPlanPriceResponse> {
    const answer = await this.proPrices.forRegion(query.region);
    res.setHeader('Cache-Control', 'public, max-age=300');
    return answer;
  }

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
