import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsISO8601, IsString, IsUrl, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class ObservePriceDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() partId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() retailerId!: string;
  @ApiProperty({ description: 'minor units (cents)' }) @IsInt() @Min(1) @Max(100_000_000) priceCents!: number;
  @ApiProperty({ example: 'EUR' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' }) currency!: string;
  @ApiProperty() @IsBoolean() inStock!: boolean;
  @ApiProperty() @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }) @MaxLength(2048) url!: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true, strictSeparator: true }) observedAt!: string;
}

export class ObservePriceResponse {
  @ApiProperty() recorded!: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) eventId!: string | null;
  @ApiProperty() position!: number;
}
