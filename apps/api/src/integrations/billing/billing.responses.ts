import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { PlanAmount, PlanPriceSource, ProPlanPrice } from './pro-plan-price.js';

@ApiSchema({ name: 'BillingRedirect' })
export class BillingRedirectResponse {
  @ApiProperty({ description: 'the Stripe page to send the rider to' }) url!: string;
}

@ApiSchema({ name: 'PlanAmount' })
export class PlanAmountResponse implements PlanAmount {
  @ApiProperty({ description: 'monthly amount in minor units of currency' }) amountCents!: number;
  @ApiProperty({ example: 'GBP' }) currency!: string;
}

@ApiSchema({ name: 'ProPlanPrice', description: "The Pro plan's monthly price in the rider's currency; other currencies apart" })
export class ProPlanPriceResponse implements ProPlanPrice {
  @ApiProperty({ enum: ['pro'] }) plan!: 'pro';
  @ApiProperty({ example: 'GB' }) region!: string;
  @ApiProperty({ example: 'GBP', description: "the region's currency" }) currency!: string;
  @ApiProperty({ enum: ['month'] }) interval!: 'month';
  @ApiProperty({ type: PlanAmountResponse, nullable: true, description: 'null: the plan is not offered in the rider’s currency' }) price!: PlanAmountResponse | null;
  @ApiProperty({ type: [PlanAmountResponse], description: 'prices in other currencies, never compared with the rider’s' }) otherPrices!: PlanAmountResponse[];
  @ApiProperty({ enum: ['stripe', 'configured', 'none'], description: 'stripe: the price checkout charges; configured: PRO_DISPLAY_PRICES; none: no price known' })
  source!: PlanPriceSource;
}
