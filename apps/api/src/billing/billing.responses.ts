import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'BillingRedirect' })
export class BillingRedirectResponse {
  @ApiProperty({ description: 'the Stripe page to send the rider to' }) url!: string;
}
