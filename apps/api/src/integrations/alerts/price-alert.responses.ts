import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { PriceAlertView } from './price-alerts.repository.js';

@ApiSchema({ name: 'PriceAlertPart', description: 'null fields: the part is no longer in the catalog' })
export class PriceAlertPartResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) slug!: string | null;
  @ApiProperty({ type: String, nullable: true }) brand!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

@ApiSchema({ name: 'PriceAlert' })
export class PriceAlertResponse implements PriceAlertView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: PriceAlertPartResponse }) part!: PriceAlertPartResponse;
  @ApiProperty({ type: 'integer' }) targetPriceCents!: number;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ description: 'false once it fired, until the price is back above the target' }) armed!: boolean;
  @ApiProperty({ type: 'integer' }) timesFired!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastFiredAt!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) lastFiredPriceCents!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

@ApiSchema({ name: 'PriceAlerts' })
export class PriceAlertsResponse {
  @ApiProperty({ type: [PriceAlertResponse] }) items!: PriceAlertResponse[];
}
