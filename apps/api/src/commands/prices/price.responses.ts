import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { RetailerPriceResponse } from '../../queries/read-models/read-model.responses.js';
import { ClockCutsResponse } from '../../queries/parts/part.responses.js';

@ApiSchema({ name: 'CurrentPrices' })
export class CurrentPricesResponse extends ClockCutsResponse {
  @ApiPropertyOptional({ description: 'the region the answer was ordered for (a `region` query parameter, else US)', example: 'GB' }) region?: string;
  @ApiPropertyOptional({ description: "ISO 4217: the region's currency, whose offers come first", example: 'GBP' }) currency?: string;
  @ApiProperty({ type: [RetailerPriceResponse], description: 'in stock first, then cheapest' }) items!: RetailerPriceResponse[];
}

@ApiSchema({ name: 'PriceHistoryPoint' })
export class PriceHistoryPointResponse {
  @ApiProperty({ format: 'uuid' }) retailerId!: string;
  @ApiProperty({ format: 'date', example: '2026-11-30' }) day!: string;
  @ApiProperty({ type: 'integer', description: "the day's minimum" }) priceCents!: number;
  @ApiProperty() currency!: string;
}

@ApiSchema({ name: 'PriceHistory', description: 'Daily minimum price per retailer, oldest first' })
export class PriceHistoryResponse {
  @ApiPropertyOptional({ description: 'the region the answer was priced for (a `region` query parameter, else US)', example: 'GB' }) region?: string;
  @ApiPropertyOptional({ description: "ISO 4217: the region's currency, in which every best price of the answer is", example: 'GBP' }) currency?: string;
  @ApiPropertyOptional({ type: [String], description: "the currencies drawn, the region's first: one chart axis each" }) currencies?: string[];
  @ApiProperty({ type: [PriceHistoryPointResponse] }) items!: PriceHistoryPointResponse[];
}

@ApiSchema({ name: 'Retailer' })
export class RetailerResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'https://www.revzilla.com' }) baseUrl!: string;
}

@ApiSchema({ name: 'Retailers' })
export class RetailersResponse {
  @ApiProperty({ type: [RetailerResponse] }) items!: RetailerResponse[];
}
