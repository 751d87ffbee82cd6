import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

export class CreatePriceAlertDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() partId!: string;
  @ApiProperty({ description: 'alert when an in-stock offer is at or below this, in minor units (cents)' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  targetPriceCents!: number;
  @ApiPropertyOptional({ example: 'EUR', description: 'only offers in this currency; absent: any currency the part is offered in' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;
}

export class PriceAlertCreatedResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
}
